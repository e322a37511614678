// `npx tsx bench/authz-cost.ts`: the CPU cost of authorization's parts, in process and without sockets, so
// a busy machine blurs it less than req/s: SigV4 in local-development mode against signature verification,
// and Authorizer.authorize for the local root, the signed root and the ABAC user on the bench's keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Authorizer, type RequestFacts } from '../src/authz/authorizer.ts';
import { PropagationDelay } from '../src/authz/propagation.ts';
import { DEFAULTS, loadConfig, type Config } from '../src/config.ts';
import type { Caller } from '../src/context.ts';
import { createAuthenticator, type SignedRequest } from '../src/protocol/sigv4.ts';
import { parseInput } from '../src/protocol/validate.ts';
import { createLogger } from '../src/log.ts';
import { startServer } from '../src/server.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { KeyRecord, Store } from '../src/store/store.ts';
import { ROOT_CREDENTIALS, setUpAuthzKeys, USER_CREDENTIALS, writeAuthzConfig } from './authz.ts';
import { PLAINTEXT, setUpKeys } from './keys.ts';
import { table } from './report.ts';
import { CREDENTIALS, presign, REGION, type Credentials } from './sign.ts';

const ROUNDS = 7;
const PER_ROUND = 5000;

/** Median over rounds of µs per call; the cases' rounds interleave so drifts in machine load hit all alike. */
async function timeCases(cases: Record<string, () => unknown>): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < PER_ROUND; i++) await fn();
      const us = Number(process.hrtime.bigint() - t0) / 1000 / PER_ROUND;
      if (round > 0) samples.get(name)!.push(us); // round 0 warms up
    }
  }
  return new Map([...samples].map(([k, v]) => [k, v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!]));
}

async function signed(url: string, input: unknown, credentials: Credentials): Promise<SignedRequest> {
  const p = await presign(url, 'Encrypt', input, credentials);
  const u = new URL(url);
  return { method: 'POST', path: '/', query: '', rawHeaders: Object.entries({ ...p.headers, host: u.host }).flat(), body: Buffer.from(p.body) };
}

async function server(config: Config, dir: string): Promise<{ url: string; store: Store; close: () => Promise<void> }> {
  const store = openSqliteStore({ path: join(dir, 'trent.sqlite'), synchronous: 'NORMAL' });
  const s = await startServer(config, { store, rootKey: randomBytes(32), sweepIntervalMs: 0, log: createLogger('silent') });
  return { url: s.url, store, close: async () => (await s.close(), await store.close()) };
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const tmp = mkdtempSync(join(tmpdir(), 'trent-authz-cost-'));
  try {
    const authzConfig = loadConfig(['--port', '0', '--data-dir', join(tmp, 'authz'), ...writeAuthzConfig(tmp)], {});
    const local = await server({ ...DEFAULTS, port: 0, dataDir: join(tmp, 'local'), logLevel: 'silent' }, mkdtempSync(join(tmp, 'l')));
    const authz = await server({ ...authzConfig, logLevel: 'silent' }, mkdtempSync(join(tmp, 'a')));
    const localKeys = await setUpKeys(local.url);
    const authzKeys = await setUpAuthzKeys(authz.url);
    const input = (keyId: string) => ({ KeyId: keyId, Plaintext: PLAINTEXT.toString('base64') });

    const localAuth = createAuthenticator({ credentials: [], defaultAccount: DEFAULTS.defaultAccount });
    const signedAuth = createAuthenticator({ credentials: authzConfig.credentials, defaultAccount: DEFAULTS.defaultAccount });
    const reqLocal = await signed(local.url, input(localKeys.encryptKeyId), CREDENTIALS);
    const reqUser = await signed(authz.url, input(authzKeys.encryptKeyId), USER_CREDENTIALS);
    const now = Date.now();
    const auth = await timeCases({
      'sigv4 local-development mode': () => localAuth.authenticate(reqLocal, now),
      'sigv4 signature verified (user)': () => signedAuth.authenticate(reqUser, now),
    });

    const authorizer = new Authorizer(new PropagationDelay(0));
    const keyOf = async (store: Store, keyId: string) =>
      (await store.transaction((tx) => tx.getKey({ account: '111122223333', region: REGION, keyId }))) as KeyRecord;
    const facts = (caller: Caller, keyId: string): RequestFacts => ({
      caller,
      region: REGION,
      origin: { sourceIp: '127.0.0.1', secureTransport: false },
      operation: 'Encrypt',
      input: parseInput('Encrypt', input(keyId)),
      now,
    });
    // The very Caller objects the authenticator hands out, so per-caller caches behave as in the server.
    const callerOf = (c: Credentials) => authzConfig.credentials.find((e) => e.accessKeyId === c.accessKeyId)!.caller;
    const localCaller = localAuth.authenticate(reqLocal, now).caller;
    const cases: Record<string, () => unknown> = {};
    for (const [label, store, keyId, caller] of [
      ['authorize: local root, default policy', local.store, localKeys.encryptKeyId, localCaller],
      ['authorize: signed root, bench key policy', authz.store, authzKeys.encryptKeyId, callerOf(ROOT_CREDENTIALS)],
      ['authorize: user, key policy + ABAC (1 tag)', authz.store, authzKeys.encryptKeyId, callerOf(USER_CREDENTIALS)],
      ['authorize: user, key policy + ABAC (11 tags)', authz.store, authzKeys.taggedKeyId, callerOf(USER_CREDENTIALS)],
    ] as const) {
      const key = await keyOf(store, keyId);
      const f = facts(caller, keyId);
      const resource = `arn:aws:kms:${REGION}:111122223333:key/${keyId}`;
      cases[label] = () => store.transaction((tx) => authorizer.authorize(f, tx, { action: 'kms:Encrypt', resource, key }));
    }
    cases['store transaction alone (getKey)'] = () => local.store.transaction((tx) => tx.getKey({ account: '111122223333', region: REGION, keyId: localKeys.encryptKeyId }));
    const authzTimes = await timeCases(cases);

    console.log(`median µs per call over ${ROUNDS} rounds of ${PER_ROUND}, in process (no HTTP)\n`);
    console.log(table(['step', 'µs/call'], [...auth, ...authzTimes].map(([k, v]) => [k, v.toFixed(2)])));
    await local.close();
    await authz.close();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
