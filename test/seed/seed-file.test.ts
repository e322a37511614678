// Seed files: their shape, defaults and material, checked before any KMS rule (those are in seed-apply.test.ts).
// Every refusal names the source, the entry and what is wrong.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseSeed, readSeedFile, SeedError } from '../../src/seed/seed-file.ts';
import { seedMaterialId } from '../../src/seed/seed-material.ts';

const ACCOUNT = '111122223333';
const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const AES = Buffer.alloc(32, 1).toString('base64');

const dir = mkdtempSync(join(tmpdir(), 'trent-seed-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const parse = (doc: unknown) => parseSeed(doc, 'seed.json', ACCOUNT);
const refused = (doc: unknown, message: string) =>
  assert.rejects(parse(doc), (e: unknown) => {
    assert.ok(e instanceof SeedError);
    assert.equal(e.message, message);
    return true;
  });

describe('seed files: shape and defaults', () => {
  test('an entry takes the default account, us-east-1, enabled, no tags or aliases', async () => {
    const [key] = (await parse({ keys: [{ keyId: ID }] })).keys;
    assert.equal(key!.account, ACCOUNT);
    assert.equal(key!.region, 'us-east-1');
    assert.equal(key!.enabled, true);
    assert.deepEqual(key!.tags, []);
    assert.deepEqual(key!.aliases, []);
    assert.equal(key!.multiRegion, false);
    assert.equal(key!.policy, undefined);
    assert.equal(key!.material, undefined);
  });

  test('tags as a list or as an object; a policy as an object or as text', async () => {
    const policy = { Version: '2012-10-17', Statement: [] };
    const [a, b] = (await parse({
      keys: [
        { keyId: ID, tags: [{ TagKey: 'team', TagValue: 'blue' }], policy },
        { keyId: ID.replace('ab', 'cd'), tags: { team: 'blue', env: 'dev' }, policy: '{"x":1}' },
      ],
    })).keys;
    assert.deepEqual(a!.tags, [{ TagKey: 'team', TagValue: 'blue' }]);
    assert.equal(a!.policy, JSON.stringify(policy));
    assert.deepEqual(b!.tags, [{ TagKey: 'team', TagValue: 'blue' }, { TagKey: 'env', TagValue: 'dev' }]);
    assert.equal(b!.policy, '{"x":1}');
  });

  test('multiRegion: replicas by Region name or as objects with their own properties', async () => {
    const [key] = (await parse({
      keys: [{ keyId: MRK, multiRegion: { replicas: ['eu-west-1', { region: 'ap-south-1', description: 'r', enabled: false, aliases: ['alias/r'] }] } }],
    })).keys;
    assert.equal(key!.multiRegion, true);
    assert.deepEqual(key!.replicas.map((r) => [r.region, r.description, r.enabled, r.aliases, r.where]), [
      ['eu-west-1', undefined, true, [], 'keys[0].multiRegion.replicas[0]'],
      ['ap-south-1', 'r', false, ['alias/r'], 'keys[0].multiRegion.replicas[1]'],
    ]);
    assert.deepEqual((await parse({ keys: [{ keyId: MRK, multiRegion: true }] })).keys[0]!.replicas, []);
  });

  test('rotation: on with an optional period; enabled false means off', async () => {
    const keys = (await parse({
      keys: [
        { keyId: ID, rotation: { enabled: true, periodInDays: 90 } },
        { keyId: ID.replace('12ab', '12ac'), rotation: {} },
        { keyId: ID.replace('12ab', '12ad'), rotation: { enabled: false } },
      ],
    })).keys;
    assert.deepEqual(keys.map((k) => k.rotation), [{ periodInDays: 90 }, {}, undefined]);
  });

  test('material: its KeyMaterialId comes from the key ID and the material, the same on every machine', async () => {
    const [key] = (await parse({ keys: [{ keyId: ID, material: AES }] })).keys;
    assert.equal(key!.material!.length, 1);
    assert.equal(key!.material![0]!.materialId, seedMaterialId(ID, Buffer.alloc(32, 1)));
    // Pinned: a fixture ciphertext names this ID, so it must never change.
    assert.equal(key!.material![0]!.materialId, '523e0760f2cfa51e820a7d374674659f4d1e1eb0914eb1ced36c03b0870b56ef');
  });

  test('material: versions oldest first, with or without their KeyMaterialId', async () => {
    const id = 'ab'.repeat(32);
    const [key] = (await parse({ keys: [{ keyId: ID, material: [{ keyMaterialId: id, material: AES }, Buffer.alloc(32, 2).toString('base64')] }] })).keys;
    assert.deepEqual(key!.material!.map((m) => m.materialId), [id, seedMaterialId(ID, Buffer.alloc(32, 2))]);
  });

  test('material: asymmetric keys as PKCS #8 PEM, PKCS #1/SEC 1 PEM or base64 DER; the same key is the same material', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const sec1 = privateKey.export({ format: 'pem', type: 'sec1' }) as string;
    const der = (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64');
    const ids = [];
    for (const material of [pkcs8, sec1, der]) {
      ids.push((await parse({ keys: [{ keyId: ID, keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', material }] })).keys[0]!.material![0]!);
    }
    assert.equal(new Set(ids.map((m) => m.materialId)).size, 1);
    assert.ok(ids.every((m) => m.publicKey !== undefined));
  });

  test('YAML and JSON files read alike', async () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ keys: [{ keyId: ID, tags: { a: '1' }, aliases: ['alias/a'] }] }));
    writeFileSync(join(dir, 'a.yaml'), `keys:\n  - keyId: ${ID}\n    tags: { a: "1" }\n    aliases: [alias/a]\n`);
    const fromJson = await readSeedFile(join(dir, 'a.json'), ACCOUNT);
    const fromYaml = await readSeedFile(join(dir, 'a.yaml'), ACCOUNT);
    assert.deepEqual(fromYaml.keys, fromJson.keys);
    assert.equal(fromYaml.source, join(dir, 'a.yaml'));
  });
});

describe('seed files: refusals name the file, the entry and the rule', () => {
  test('unreadable and malformed files', async () => {
    const missing = join(dir, 'missing.json');
    await assert.rejects(readSeedFile(missing, ACCOUNT), { message: `cannot read seed file ${missing}: ENOENT: no such file or directory, open '${missing}'` });
    writeFileSync(join(dir, 'bad.json'), '{\n  "keys": [\n    {"keyId": }\n  ]\n}');
    // After the prefix comes V8's own description, which differs between Node versions.
    await assert.rejects(readSeedFile(join(dir, 'bad.json'), ACCOUNT), (e: Error) => e.message.startsWith(`${join(dir, 'bad.json')}: not valid JSON: Unexpected token`));
    writeFileSync(join(dir, 'bad.yaml'), 'keys:\n  - keyId: a\n    keyId: b\n');
    await assert.rejects(readSeedFile(join(dir, 'bad.yaml'), ACCOUNT), { message: `${join(dir, 'bad.yaml')}: not valid YAML: Map keys must be unique at line 3, column 5:` });
  });

  test('the document', async () => {
    await refused([], 'seed.json: a seed is an object with a "keys" list');
    await refused({ key: [] }, 'seed.json: unknown top-level field "key" (known: keys)');
    await refused({ keys: {} }, 'seed.json: "keys" must be a list');
    await refused({ keys: ['x'] }, 'seed.json: keys[0]: each key is an object');
    assert.deepEqual((await parse({})).keys, []);
  });

  test('key IDs', async () => {
    await refused({ keys: [{}] }, 'seed.json: keys[0]: keyId is required: a key ID such as 1234abcd-12ab-34cd-56ef-1234567890ab');
    await refused(
      { keys: [{ keyId: ID.toUpperCase() }] },
      `seed.json: keys[0] (key ${ID.toUpperCase()}): keyId must be a lower-case UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab (mrk-… with multiRegion)`,
    );
    await refused({ keys: [{ keyId: MRK }] }, `seed.json: keys[0] (key ${MRK}): an mrk- key ID names a multi-Region key: add multiRegion`);
    await refused({ keys: [{ keyId: ID, multiRegion: true }] }, `seed.json: keys[0] (key ${ID}): a multi-Region key ID is mrk- followed by 32 lower-case hex digits`);
    await refused({ keys: [{ keyId: ID }, { keyId: ID }] }, `seed.json: keys[1] (key ${ID}): keys[0] already declares this key ID in account ${ACCOUNT}`);
    // The same key ID in two accounts names two keys.
    assert.equal((await parse({ keys: [{ keyId: ID }, { keyId: ID, account: '444455556666' }] })).keys.length, 2);
  });

  test('fields and their types', async () => {
    const at = `seed.json: keys[0] (key ${ID})`;
    await refused(
      { keys: [{ keyId: ID, keyspec: 'X' }] },
      `${at}: unknown field "keyspec" (known: keyId, account, region, keySpec, keyUsage, description, enabled, policy, bypassPolicyLockoutSafetyCheck, tags, aliases, rotation, multiRegion, material)`,
    );
    await refused({ keys: [{ keyId: ID, account: '1234' }] }, `${at}: account must be 12 digits, not "1234"`);
    await refused({ keys: [{ keyId: ID, account: true }] }, `${at}: account must be 12 digits, as a string`);
    // YAML reads an unquoted account as a number: taken when it has 12 digits, refused when a zero would be lost.
    assert.equal((await parse({ keys: [{ keyId: ID, account: 444455556666 }] })).keys[0]!.account, '444455556666');
    await refused({ keys: [{ keyId: ID, account: 12345678901 }] }, `${at}: account must be 12 digits: quote it ("012345678901") so that no leading zero is lost`);
    await refused({ keys: [{ keyId: ID, region: 'mars' }] }, `${at}: region must be a Region name such as us-east-1, not "mars"`);
    await refused({ keys: [{ keyId: ID, enabled: 'yes' }] }, `${at}: enabled must be true or false`);
    await refused({ keys: [{ keyId: ID, description: 5 }] }, `${at}: description must be a string`);
    await refused({ keys: [{ keyId: ID, policy: 5 }] }, `${at}: policy must be a policy document: an object, or its JSON text`);
    await refused({ keys: [{ keyId: ID, tags: [{ TagKey: 'a' }] }] }, `${at}: tags[0] must be {"TagKey": "…", "TagValue": "…"}`);
    await refused({ keys: [{ keyId: ID, tags: { a: 1 } }] }, `${at}: tags.a must be a string (quote numbers and booleans)`);
    await refused({ keys: [{ keyId: ID, tags: 'a=1' }] }, `${at}: tags must be a list of {"TagKey", "TagValue"} or an object of tag keys and values`);
    await refused({ keys: [{ keyId: ID, aliases: 'alias/a' }] }, `${at}: aliases must be a list of alias names such as "alias/app"`);
    await refused({ keys: [{ keyId: ID, rotation: true }] }, `${at}: rotation must be an object such as {"enabled": true, "periodInDays": 365}`);
    await refused({ keys: [{ keyId: ID, rotation: { periodInDays: 90.5 } }] }, `${at}: rotation.periodInDays must be a whole number of days`);
    await refused({ keys: [{ keyId: ID, rotation: { enabled: false, periodInDays: 90 } }] }, `${at}: rotation.periodInDays needs rotation.enabled true`);
    await refused({ keys: [{ keyId: ID, rotation: { every: 90 } }] }, `${at}: rotation: unknown field "every" (known: enabled, periodInDays)`);
  });

  test('multiRegion', async () => {
    const at = `seed.json: keys[0] (key ${MRK})`;
    await refused({ keys: [{ keyId: MRK, multiRegion: 'eu-west-1' }] }, `${at}: multiRegion is true, or an object such as {"replicas": ["eu-west-1"]}`);
    await refused({ keys: [{ keyId: MRK, multiRegion: { regions: [] } }] }, `${at}: multiRegion: unknown field "regions" (known: replicas)`);
    await refused({ keys: [{ keyId: MRK, multiRegion: { replicas: 'eu-west-1' } }] }, `${at}: multiRegion.replicas must be a list of Regions or replica objects`);
    await refused({ keys: [{ keyId: MRK, multiRegion: { replicas: ['nowhere'] } }] }, `${at}: multiRegion.replicas[0]: region must be a Region name such as us-east-1, not "nowhere"`);
    await refused({ keys: [{ keyId: MRK, multiRegion: { replicas: [{ description: 'x' }] } }] }, `${at}: multiRegion.replicas[0]: region is required`);
    await refused(
      { keys: [{ keyId: MRK, multiRegion: { replicas: [{ region: 'eu-west-1', rotation: {} }] } }] },
      `${at}: multiRegion.replicas[0]: unknown field "rotation" (known: region, description, enabled, policy, bypassPolicyLockoutSafetyCheck, tags, aliases)`,
    );
  });

  test('material', async () => {
    const at = `seed.json: keys[0] (key ${ID}): material:`;
    await refused({ keys: [{ keyId: ID, material: 'not base64!' }] }, `${at} not valid base64`);
    await refused({ keys: [{ keyId: ID, material: Buffer.alloc(16).toString('base64') }] }, `${at} symmetric key material is 32 bytes, base64-encoded`);
    await refused(
      { keys: [{ keyId: ID, keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', material: Buffer.alloc(16).toString('base64') }] },
      `${at} HMAC_256 key material is 32 to 64 bytes, base64-encoded`,
    );
    await refused(
      { keys: [{ keyId: ID, keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', material: AES }] },
      `${at} not a private key for RSA_2048: give a PKCS #8 private key as PEM or as base64 of its DER`,
    );
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    await refused(
      { keys: [{ keyId: ID, keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', material: p384 }] },
      `${at} not a private key for ECC_NIST_P256: give a PKCS #8 private key as PEM or as base64 of its DER`,
    );
    await refused(
      { keys: [{ keyId: ID, keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', material: [p384, p384] }] },
      `${at} several versions are possible only for symmetric encryption keys (SYMMETRIC_DEFAULT), not ECC_NIST_P256`,
    );
    await refused({ keys: [{ keyId: ID, material: [] }] }, `${at} an empty list: give the material, or leave material out to have it generated`);
    await refused({ keys: [{ keyId: ID, material: [AES, AES] }] }, `${at} the same key material (or keyMaterialId) is listed twice`);
    await refused({ keys: [{ keyId: ID, material: [{ keyMaterialId: 'AB', material: AES }] }] }, `${at} keyMaterialId must be 64 lower-case hex characters`);
    await refused({ keys: [{ keyId: ID, material: [{ id: 'ab'.repeat(32), material: AES }] }] }, `${at} unknown field "id" (known: keyMaterialId, material)`);
    await refused({ keys: [{ keyId: ID, material: 5 }] }, `${at} material is a string: base64, or a PEM private key`);
    await refused(
      { keys: [{ keyId: ID, keySpec: 'AES_256', material: AES }] },
      `${at} keySpec "AES_256" is not a KMS key spec (RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87, ECC_NIST_EDWARDS25519)`,
    );
  });
});
