// `npx tsx bench/authz-ab.ts [DescribeKey|Encrypt]`: CPU per request (client and server in this one process,
// 8 in flight, rounds alternating) against a local-development server and a server with principals, as the
// signed root and as the ABAC user of bench/authz.ts. The client's share is the same in every case, so the
// differences are the server's: steadier than req/s on a shared machine. ONLY=<case> runs one case (profiling).
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEFAULTS, loadConfig, type Config } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startServer } from '../src/server.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ROOT_CREDENTIALS, setUpAuthzKeys, USER_CREDENTIALS, writeAuthzConfig } from './authz.ts';
import { setUpKeys } from './keys.ts';
import { CREDENTIALS, presign, type PreparedRequest } from './sign.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const tmp = mkdtempSync(join(tmpdir(), 'trent-ab-'));
async function server(config: Config) {
  const dir = mkdtempSync(join(tmp, 's'));
  const store = openSqliteStore({ path: join(dir, 'trent.sqlite'), synchronous: 'NORMAL' });
  const s = await startServer({ ...config, logLevel: 'silent' }, { store, rootKey: randomBytes(32), sweepIntervalMs: 0, log: createLogger('silent') });
  return s.url;
}
const localUrl = await server({ ...DEFAULTS, port: 0, dataDir: join(tmp, 'l') });
const authzUrl = await server(loadConfig(['--port', '0', '--data-dir', join(tmp, 'a'), ...writeAuthzConfig(tmp)], {}));
const lk = await setUpKeys(localUrl);
const ak = await setUpAuthzKeys(authzUrl);
const op = process.argv[2] ?? 'DescribeKey';
const inp = (k: string) => (op === 'Encrypt' ? { KeyId: k, Plaintext: Buffer.alloc(64, 97).toString('base64') } : { KeyId: k });
const cases: Record<string, [string, PreparedRequest]> = {
  local: [localUrl, await presign(localUrl, op, inp(lk.encryptKeyId), CREDENTIALS)],
  root: [authzUrl, await presign(authzUrl, op, inp(ak.encryptKeyId), ROOT_CREDENTIALS)],
  user: [authzUrl, await presign(authzUrl, op, inp(ak.encryptKeyId), USER_CREDENTIALS)],
};
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
function send(url: string, p: PreparedRequest): Promise<void> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const r = request({ host: u.hostname, port: u.port, method: 'POST', path: '/', headers: p.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode)))));
    });
    r.on('error', reject);
    r.end(p.body);
  });
}
const N = 3000;
const res: Record<string, number[]> = { local: [], root: [], user: [] };
for (let round = 0; round < 8; round++) {
  for (const [name, [url, p]] of Object.entries(cases).filter(([n]) => !process.env.ONLY || n === process.env.ONLY)) {
    const c0 = process.cpuUsage();
    let inflight: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      inflight.push(send(url, p));
      if (inflight.length === 8) { await Promise.all(inflight); inflight = []; }
    }
    await Promise.all(inflight);
    const c = process.cpuUsage(c0);
    if (round > 0) res[name]!.push((c.user + c.system) / N);
  }
}
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const l = res.local!.length ? med(res.local!) : 1;
for (const [k, v] of Object.entries(res).filter(([, v]) => v.length > 0)) console.log(op, k, med(v).toFixed(1), 'µs/req (client+server)', `local/${k} ${(100 * l / med(v)).toFixed(1)}%`);
process.exit(0);
