// Where the root key comes from, and that the vault's sealing is bound to the root key, key and material.
import { rootCaller } from '../../src/iam/principal.ts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, DEFAULTS, loadConfig, type Config } from '../../src/config.ts';
import type { Logger } from '../../src/context.ts';
import { loadRootKey } from '../../src/root-key.ts';
import { MaterialVault, RootKeyMismatchError } from '../../src/keys/vault.ts';

const dir = mkdtempSync(join(tmpdir(), 'trent-root-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const warnings: string[] = [];
const log: Logger = { info() {}, announce() {}, error() {}, warn: (m) => void warnings.push(m), request() {}, requests: false };
const config = (over: Partial<Config>): Config => ({ ...DEFAULTS, dataDir: dir, ...over });

describe('root key source', () => {
  test('local-development mode generates one in the data directory once, private to its owner, with a warning', () => {
    const sub = mkdtempSync(join(dir, 'dev-'));
    const first = loadRootKey(config({ dataDir: sub }), log);
    assert.equal(first.length, 32);
    assert.match(warnings.at(-1)!, /generated a root key at .*root-key \(local-development mode\)/);
    assert.equal(statSync(join(sub, 'root-key')).mode & 0o777, 0o600);
    const count = warnings.length;
    assert.deepEqual(loadRootKey(config({ dataDir: sub }), log), first);
    assert.equal(warnings.length, count, 'no warning when the key already exists');
  });

  test('TRENT_ROOT_KEY (base64) and --root-key-file are used as given', () => {
    const key = randomBytes(32);
    const env = loadConfig(['--data-dir', dir], { TRENT_ROOT_KEY: key.toString('base64') });
    assert.deepEqual(loadRootKey(env, log), key);
    const file = join(dir, 'rk.txt');
    writeFileSync(file, `${key.toString('base64')}\n`);
    assert.deepEqual(loadRootKey(loadConfig(['--root-key-file', file], {}), log), key);
    const raw = join(dir, 'rk.bin');
    writeFileSync(raw, key);
    assert.deepEqual(loadRootKey(config({ rootKeyFile: raw }), log), key);
  });

  test('a malformed root key is a configuration error', () => {
    assert.throws(() => loadRootKey(config({ rootKey: 'c2hvcnQ=' }), log), ConfigError);
    assert.throws(() => loadRootKey(config({ rootKeyFile: join(dir, 'absent') }), log), /cannot read root key file/);
  });

  test('with credentials configured, a root key is required (no silent key generation)', () => {
    const credentials = [{ accessKeyId: 'AKID', secretAccessKey: 's', caller: rootCaller('111122223333', 'AKID') }];
    assert.throws(() => loadRootKey(config({ credentials }), log), /a root key is required when credentials are configured/);
  });
});

describe('material vault', () => {
  const ref = { account: '111122223333', region: 'us-east-1', keyId: 'k1' };

  test('seals so that only the same root key, key and material open it, and never stores the secret', () => {
    const rootKey = randomBytes(32);
    const secret = randomBytes(32);
    const sealed = new MaterialVault(rootKey).seal(ref, 'm1', secret);
    assert.equal(sealed.includes(secret), false);
    assert.deepEqual(new MaterialVault(rootKey).open(ref, 'm1', sealed), secret);
    assert.throws(() => new MaterialVault(randomBytes(32)).open(ref, 'm1', sealed), RootKeyMismatchError);
    assert.throws(() => new MaterialVault(rootKey).open(ref, 'm2', sealed), RootKeyMismatchError);
    assert.throws(() => new MaterialVault(rootKey).open({ ...ref, keyId: 'k2' }, 'm1', sealed), RootKeyMismatchError);
  });

  test('the check value tells the same root key from another', () => {
    const rootKey = randomBytes(32);
    const check = new MaterialVault(rootKey).checkValue();
    assert.ok(new MaterialVault(rootKey).matchesCheckValue(check));
    assert.equal(new MaterialVault(randomBytes(32)).matchesCheckValue(check), false);
  });

  test('tokens open only for their purpose; fingerprints are stable per root key', () => {
    const vault = new MaterialVault(randomBytes(32));
    const token = vault.sealToken(Buffer.from('payload'), 'import token');
    assert.equal(vault.openToken(token, 'import token')?.toString(), 'payload');
    assert.equal(vault.openToken(token, 'other'), undefined);
    const secret = randomBytes(32);
    assert.deepEqual(vault.fingerprint(secret), vault.fingerprint(secret));
    assert.notDeepEqual(new MaterialVault(randomBytes(32)).fingerprint(secret), vault.fingerprint(secret));
  });
});

