// Seeded keys through the real SDK: what a seed declares is what the API shows, fixed material makes ciphertexts,
// signatures and MACs portable, every KMS rule applies to a seed entry as to an API call, a bad seed changes
// nothing, and a seed is applied once per data directory.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  GetPublicKeyCommand,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { defaultKeyPolicy } from '../../src/keys/default-policy.ts';
import { ACCOUNT, startTestServer } from '../helpers/server.ts';

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ID2 = '0b7a0d1c-0000-4000-8000-000000000002';
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const OTHER_ACCOUNT = '444455556666';
const AES = Buffer.alloc(32, 1).toString('base64');
const arn = (region: string, keyId: string, account = ACCOUNT) => `arn:aws:kms:${region}:${account}:key/${keyId}`;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function seeded(seed: unknown, over: Parameters<typeof startTestServer>[0] = {}) {
  const t = await startTestServer({ seed, ...over });
  dirs.push(t.dataDir);
  return t;
}

/** Starting a server with `seed` fails with `message`, and the data directory it was given is left as it was. */
async function refusedSeed(seed: unknown, message: string): Promise<void> {
  await assert.rejects(startTestServer({ seed }), (e: Error) => {
    assert.equal(e.message, message);
    return true;
  });
}

describe('seeded keys are what the API shows', () => {
  test('a full entry: ID, account, Region, spec, description, tags, aliases, policy, rotation', async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    const t = await seeded({
      keys: [
        {
          keyId: ID,
          account: OTHER_ACCOUNT,
          region: 'eu-central-1',
          description: 'orders',
          tags: { team: 'blue', env: 'test' },
          aliases: ['alias/orders', 'alias/orders-v2'],
          policy,
          rotation: { enabled: true, periodInDays: 90 },
        },
      ],
    });
    try {
      const kms = t.client({ accessKeyId: OTHER_ACCOUNT, region: 'eu-central-1' });
      const md = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/orders' }))).KeyMetadata!;
      assert.equal(md.KeyId, ID);
      assert.equal(md.Arn, arn('eu-central-1', ID, OTHER_ACCOUNT));
      assert.equal(md.AWSAccountId, OTHER_ACCOUNT);
      assert.equal(md.Description, 'orders');
      assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
      assert.equal(md.KeyUsage, 'ENCRYPT_DECRYPT');
      assert.equal(md.KeyState, 'Enabled');
      assert.equal(md.Origin, 'AWS_KMS');
      assert.equal(md.MultiRegion, false);
      assert.match(md.CurrentKeyMaterialId!, /^[0-9a-f]{64}$/);
      assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: ID }))).Tags, [
        { TagKey: 'env', TagValue: 'test' },
        { TagKey: 'team', TagValue: 'blue' },
      ]);
      assert.deepEqual((await kms.send(new ListAliasesCommand({ KeyId: ID }))).Aliases!.map((a) => a.AliasName), ['alias/orders', 'alias/orders-v2']);
      assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: ID }))).Policy, JSON.stringify(policy));
      const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: ID }));
      assert.equal(rotation.KeyRotationEnabled, true);
      assert.equal(rotation.RotationPeriodInDays, 90);
      // Nothing in the default account or Region.
      assert.deepEqual((await t.client().send(new ListKeysCommand({}))).Keys, []);
    } finally {
      await t.close();
    }
  });

  test('defaults: the default account and us-east-1, the default policy, enabled; enabled false disables', async () => {
    const t = await seeded({ keys: [{ keyId: ID }, { keyId: ID2, enabled: false }] });
    try {
      const kms = t.client();
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [ID, ID2]);
      assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: ID }))).Policy, defaultKeyPolicy(ACCOUNT));
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: ID2 }))).KeyMetadata!.KeyState, 'Disabled');
      assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: ID }))).KeyRotationEnabled, false);
    } finally {
      await t.close();
    }
  });

  test('a multi-Region key with replicas: the set, shared material, each replica its own properties, no Creating moment', async () => {
    const t = await seeded({
      keys: [
        {
          keyId: MRK,
          description: 'primary',
          material: AES,
          rotation: {},
          multiRegion: { replicas: ['eu-west-1', { region: 'ap-south-1', description: 'replica', tags: { r: '1' }, aliases: ['alias/mr'], enabled: false }] },
        },
      ],
    });
    try {
      const primary = t.client();
      const md = (await primary.send(new DescribeKeyCommand({ KeyId: MRK }))).KeyMetadata!;
      assert.equal(md.MultiRegion, true);
      assert.deepEqual(md.MultiRegionConfiguration, {
        MultiRegionKeyType: 'PRIMARY',
        PrimaryKey: { Arn: arn('us-east-1', MRK), Region: 'us-east-1' },
        ReplicaKeys: [
          { Arn: arn('eu-west-1', MRK), Region: 'eu-west-1' },
          { Arn: arn('ap-south-1', MRK), Region: 'ap-south-1' },
        ],
      });
      const west = t.client({ region: 'eu-west-1' });
      const south = t.client({ region: 'ap-south-1' });
      assert.equal((await west.send(new DescribeKeyCommand({ KeyId: MRK }))).KeyMetadata!.KeyState, 'Enabled');
      const replica = (await south.send(new DescribeKeyCommand({ KeyId: 'alias/mr' }))).KeyMetadata!;
      assert.equal(replica.KeyState, 'Disabled');
      assert.equal(replica.Description, 'replica');
      assert.deepEqual((await south.send(new ListResourceTagsCommand({ KeyId: MRK }))).Tags, [{ TagKey: 'r', TagValue: '1' }]);
      assert.equal((await west.send(new GetKeyRotationStatusCommand({ KeyId: MRK }))).KeyRotationEnabled, true);
      const blob = (await primary.send(new EncryptCommand({ KeyId: MRK, Plaintext: Buffer.from('shared') }))).CiphertextBlob!;
      assert.equal(Buffer.from((await west.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(), 'shared');
    } finally {
      await t.close();
    }
  });
});

describe('fixed material', () => {
  // Made once by a Trent seeded with ID and 32 bytes of 0x01, committed here: it must decrypt on every machine.
  const FIXTURE =
    'AQAZ32aQ5RI0q80SqzTNVu8SNFZ4kKtSPgdg8s+lHoIKfTdGdGWfTR4esJFOsc7TbAOwhwtW77rskZ/GxOvxRe0G4UhXTyUHllfCBepXtIzByKSq+jKVce6DfjBZp8UIY2t/Lg==';

  test('a committed ciphertext decrypts against the seed that made it', async () => {
    const t = await seeded({ keys: [{ keyId: ID, material: AES }] });
    try {
      const out = await t.client().send(new DecryptCommand({ CiphertextBlob: Buffer.from(FIXTURE, 'base64'), EncryptionContext: { purpose: 'fixture' } }));
      assert.equal(out.KeyId, arn('us-east-1', ID));
      assert.equal(Buffer.from(out.Plaintext!).toString(), 'committed fixture');
    } finally {
      await t.close();
    }
  });

  test('earlier versions still decrypt; the last one is current', async () => {
    const old = { keys: [{ keyId: ID, material: AES }] };
    const rotated = { keys: [{ keyId: ID, material: [AES, Buffer.alloc(32, 2).toString('base64')] }] };
    const a = await seeded(old);
    const b = await seeded(rotated);
    try {
      const blob = (await a.client().send(new EncryptCommand({ KeyId: ID, Plaintext: Buffer.from('v1') }))).CiphertextBlob!;
      const kms = b.client();
      assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(), 'v1');
      const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: ID }))).Rotations!;
      assert.deepEqual(rotations.map((r) => r.RotationType), ['AUTOMATIC']);
      const md = (await kms.send(new DescribeKeyCommand({ KeyId: ID }))).KeyMetadata!;
      assert.equal(md.CurrentKeyMaterialId, rotations[0]!.KeyMaterialId);
      assert.notEqual(md.CurrentKeyMaterialId, (await a.client().send(new DescribeKeyCommand({ KeyId: ID }))).KeyMetadata!.CurrentKeyMaterialId);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('HMAC and asymmetric material: MACs and signatures made by one instance verify on another and offline', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const seed = {
      keys: [
        { keyId: ID, keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', material: Buffer.alloc(48, 3).toString('base64') },
        { keyId: ID2, keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', material: privateKey.export({ format: 'pem', type: 'pkcs8' }) },
      ],
    };
    const a = await seeded(seed);
    const b = await seeded(seed);
    try {
      const message = Buffer.from('portable');
      const { Mac } = await a.client().send(new GenerateMacCommand({ KeyId: ID, MacAlgorithm: 'HMAC_SHA_256', Message: message }));
      assert.equal((await b.client().send(new VerifyMacCommand({ KeyId: ID, MacAlgorithm: 'HMAC_SHA_256', Message: message, Mac }))).MacValid, true);
      const { Signature } = await a.client().send(new SignCommand({ KeyId: ID2, SigningAlgorithm: 'ECDSA_SHA_256', Message: message }));
      const { PublicKey } = await b.client().send(new GetPublicKeyCommand({ KeyId: ID2 }));
      assert.deepEqual(Buffer.from(PublicKey!), createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
      assert.equal(createVerify('sha256').update(message).verify(createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }), Signature!), true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('seed entries obey the API rules, and a bad seed changes nothing', () => {
  const at = (where: string, keyId = ID) => `seed: ${where} (key ${keyId}):`;

  test('tag rules', async () => {
    await refusedSeed({ keys: [{ keyId: ID, tags: { 'aws:x': '1' } }] }, `${at('keys[0]')} TagException: Tags beginning with aws: are reserved`);
    await refusedSeed(
      { keys: [{ keyId: ID, tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] }] },
      `${at('keys[0]')} TagException: Duplicate tag keys`,
    );
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v']));
    await refusedSeed({ keys: [{ keyId: ID, tags: many }] }, `${at('keys[0]')} TagException: Too many tags`);
    await refusedSeed(
      { keys: [{ keyId: ID, tags: { ['k'.repeat(129)]: 'v' } }] },
      `${at('keys[0]')} ValidationException: 1 validation error detected: Value '${'k'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });

  test('alias rules', async () => {
    await refusedSeed(
      { keys: [{ keyId: ID, aliases: ['alias/aws/x'] }] },
      `${at('keys[0].aliases[0]')} NotAuthorizedException: The alias prefix alias/aws/ is reserved for AWS managed keys: alias/aws/x`,
    );
    await refusedSeed(
      { keys: [{ keyId: ID, aliases: ['alias/a b'] }] },
      `${at('keys[0].aliases[0]')} ValidationException: 1 validation error detected: Value 'alias/a b' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`,
    );
    await refusedSeed(
      { keys: [{ keyId: ID, aliases: ['app'] }] },
      `${at('keys[0].aliases[0]')} ${await aliasError('app')}`,
    );
    await refusedSeed(
      { keys: [{ keyId: ID, aliases: ['alias/app'] }, { keyId: ID2, aliases: ['alias/app'] }] },
      `${at('keys[1].aliases[0]', ID2)} AlreadyExistsException: An alias with the name arn:aws:kms:us-east-1:${ACCOUNT}:alias/app already exists`,
    );
  });

  test('spec and usage, rotation and policy rules', async () => {
    await refusedSeed({ keys: [{ keyId: ID, keySpec: 'RSA_2048' }] }, `${at('keys[0]')} ValidationException: You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.`);
    await refusedSeed(
      { keys: [{ keyId: ID, keySpec: 'RSA_2048', keyUsage: 'KEY_AGREEMENT' }] },
      `${at('keys[0]')} ValidationException: KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048`,
    );
    await refusedSeed({ keys: [{ keyId: ID, keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', rotation: {} }] }, `${at('keys[0].rotation')} UnsupportedOperationException: `);
    await refusedSeed(
      { keys: [{ keyId: ID, rotation: { periodInDays: 30 } }] },
      `${at('keys[0].rotation')} ValidationException: 1 validation error detected: Value '30' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90`,
    );
    await refusedSeed({ keys: [{ keyId: ID, policy: '{"Version":"2012-10-17"' }] }, `${at('keys[0]')} ${await createKeyError({ Policy: '{"Version":"2012-10-17"' })}`);
    const lockout = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    await refusedSeed({ keys: [{ keyId: ID, policy: lockout }] }, `${at('keys[0]')} MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.`);
    // As with CreateKey, BypassPolicyLockoutSafetyCheck lets such a policy through.
    const t = await seeded({ keys: [{ keyId: ID, policy: lockout, bypassPolicyLockoutSafetyCheck: true }] });
    await t.close();
  });

  test('multi-Region rules: a replica in the primary\'s Region, or twice in one Region', async () => {
    await refusedSeed(
      { keys: [{ keyId: MRK, multiRegion: { replicas: ['us-east-1'] } }] },
      `${at('keys[0].multiRegion.replicas[0]', MRK)} AlreadyExistsException: ${arn('us-east-1', MRK)} already exists`,
    );
    await refusedSeed(
      { keys: [{ keyId: MRK, multiRegion: { replicas: ['eu-west-1', 'eu-west-1'] } }] },
      `${at('keys[0].multiRegion.replicas[1]', MRK)} AlreadyExistsException: ${arn('eu-west-1', MRK)} already exists`,
    );
  });

  test('a bad entry after good ones leaves none of them', async () => {
    const t = await seeded({ keys: [] });
    await t.stop();
    await assert.rejects(
      startTestServer({ dataDir: t.dataDir, seed: { keys: [{ keyId: ID, aliases: ['alias/a'] }, { keyId: ID2, tags: { 'aws:x': '1' } }] } }),
      { message: `${at('keys[1]', ID2)} TagException: Tags beginning with aws: are reserved` },
    );
    const again = await startTestServer({ dataDir: t.dataDir });
    try {
      assert.deepEqual((await again.client().send(new ListKeysCommand({}))).Keys, []);
      assert.deepEqual((await again.client().send(new ListAliasesCommand({}))).Aliases, []);
    } finally {
      await again.close();
    }
  });
});

describe('a seed is applied once per data directory', () => {
  test('a restart with the same seed changes nothing and loses nothing made since', async () => {
    const seed = { keys: [{ keyId: ID, tags: { a: '1' } }, { keyId: ID2 }] };
    const first = await seeded(seed);
    const kms = first.client();
    await kms.send(new TagResourceCommand({ KeyId: ID, Tags: [{ TagKey: 'a', TagValue: 'changed' }] }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: ID2, PendingWindowInDays: 7 }));
    first.clock.advanceDays(8);
    await first.server.sweep();
    const made = (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);
    await first.stop();

    const second = await startTestServer({ dataDir: first.dataDir, seed });
    try {
      const again = second.client();
      // The deleted seed key stays deleted; the changed tag stays changed.
      assert.deepEqual((await again.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), made);
      assert.deepEqual(made, [ID]);
      assert.deepEqual((await again.send(new ListResourceTagsCommand({ KeyId: ID }))).Tags, [{ TagKey: 'a', TagValue: 'changed' }]);
    } finally {
      await second.close();
    }
  });

  test('an entry added to the seed later is applied at the next start', async () => {
    const first = await seeded({ keys: [{ keyId: ID }] });
    await first.stop();
    const second = await startTestServer({ dataDir: first.dataDir, seed: { keys: [{ keyId: ID, description: 'edited' }, { keyId: ID2 }] } });
    try {
      const kms = second.client();
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [ID, ID2]);
      // An entry applied before is left as it stands, even when the file now says otherwise.
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: ID }))).KeyMetadata!.Description, '');
    } finally {
      await second.close();
    }
  });
});

/** CreateKey's error for `input`, as `<type>: <message>`: a seed entry must fail exactly as the API call does. */
async function createKeyError(input: Record<string, unknown>): Promise<string> {
  const t = await startTestServer();
  try {
    await t.client().send(new CreateKeyCommand(input));
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    await t.close();
  }
}

/** CreateAlias's error for `aliasName`, as `<type>: <message>`. */
async function aliasError(aliasName: string): Promise<string> {
  const t = await startTestServer();
  try {
    const kms = t.client();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: KeyMetadata!.KeyId }));
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    await t.close();
  }
}
