// CreateKey through the real SDK: the defaults of spec §5.3, every KeySpec × KeyUsage pair, origins,
// multi-Region keys, model validation, tags (all or nothing) and key policies.
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  type CreateKeyCommandInput,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { KEY_SPECS } from '../../src/keys/key-spec.ts';
import { ENUMS } from '../../src/model/kms.generated.ts';
import { expectError } from '../helpers/expect-error.ts';
import { rawRequest } from '../helpers/signed-fetch.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MATERIAL_ID = /^[0-9a-f]{64}$/;
const arnOf = (keyId: string, region = REGION) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;

/** The parsed body of a signed request sent below the SDK, which drops members it does not model. */
async function wire(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await rawRequest(t.url, { target: `TrentService.${operation}`, body: JSON.stringify(input), creds: { accessKeyId: ACCOUNT, secretAccessKey: 'test-secret' } });
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text) as Record<string, unknown>;
}

const create = async (input: CreateKeyCommandInput = {}) => (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;

const keyIds = async () => {
  const out = await kms.send(new ListKeysCommand({ Limit: 1000 }));
  assert.equal(out.Truncated, false);
  return out.Keys!.map((k) => k.KeyId!);
};

/** A rejected CreateKey answers exactly `type`/`message` and creates no key. */
async function rejected(input: CreateKeyCommandInput, type: string, message: string | RegExp): Promise<void> {
  const before = await keyIds();
  await expectError(kms.send(new CreateKeyCommand(input)), type, message);
  assert.deepEqual(await keyIds(), before, 'a rejected CreateKey leaves no key behind');
}

type Usage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
type AlgorithmField = 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms';
const ALGORITHM_FIELDS: readonly AlgorithmField[] = ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms'];

// Written out independently of src/keys/key-spec.ts (API Reference KeyMetadata and CreateKey KeySpec docs;
// aws-cli examples/kms/create-key.rst and describe-key.rst for the recorded orders).
const RSA_ENCRYPT: [AlgorithmField, string[]] = ['EncryptionAlgorithms', ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']];
// aws-cli describe-key example (RSA_2048 SIGN_VERIFY): PKCS #1 v1.5 first, then PSS.
const RSA_SIGN: [AlgorithmField, string[]] = [
  'SigningAlgorithms',
  ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'],
];
const ECDH: [AlgorithmField, string[]] = ['KeyAgreementAlgorithms', ['ECDH']];
const EXPECTED: Record<string, Partial<Record<Usage, [AlgorithmField, string[]]>>> = {
  SYMMETRIC_DEFAULT: { ENCRYPT_DECRYPT: ['EncryptionAlgorithms', ['SYMMETRIC_DEFAULT']] },
  RSA_2048: { ENCRYPT_DECRYPT: RSA_ENCRYPT, SIGN_VERIFY: RSA_SIGN },
  RSA_3072: { ENCRYPT_DECRYPT: RSA_ENCRYPT, SIGN_VERIFY: RSA_SIGN },
  RSA_4096: { ENCRYPT_DECRYPT: RSA_ENCRYPT, SIGN_VERIFY: RSA_SIGN },
  ECC_NIST_P256: { SIGN_VERIFY: ['SigningAlgorithms', ['ECDSA_SHA_256']], KEY_AGREEMENT: ECDH },
  ECC_NIST_P384: { SIGN_VERIFY: ['SigningAlgorithms', ['ECDSA_SHA_384']], KEY_AGREEMENT: ECDH },
  ECC_NIST_P521: { SIGN_VERIFY: ['SigningAlgorithms', ['ECDSA_SHA_512']], KEY_AGREEMENT: ECDH },
  ECC_SECG_P256K1: { SIGN_VERIFY: ['SigningAlgorithms', ['ECDSA_SHA_256']] },
  // The relative order of the two Ed25519 algorithms is unrecorded; the model's order is used.
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: ['SigningAlgorithms', ['ED25519_SHA_512', 'ED25519_PH_SHA_512']] },
  ML_DSA_44: { SIGN_VERIFY: ['SigningAlgorithms', ['ML_DSA_SHAKE_256']] },
  ML_DSA_65: { SIGN_VERIFY: ['SigningAlgorithms', ['ML_DSA_SHAKE_256']] },
  ML_DSA_87: { SIGN_VERIFY: ['SigningAlgorithms', ['ML_DSA_SHAKE_256']] },
  HMAC_224: { GENERATE_VERIFY_MAC: ['MacAlgorithms', ['HMAC_SHA_224']] },
  HMAC_256: { GENERATE_VERIFY_MAC: ['MacAlgorithms', ['HMAC_SHA_256']] },
  HMAC_384: { GENERATE_VERIFY_MAC: ['MacAlgorithms', ['HMAC_SHA_384']] },
  HMAC_512: { GENERATE_VERIFY_MAC: ['MacAlgorithms', ['HMAC_SHA_512']] },
  // AWS offers SM2 only in the China Regions; Trent does not model Region availability and allows it anywhere.
  SM2: { ENCRYPT_DECRYPT: ['EncryptionAlgorithms', ['SM2PKE']], SIGN_VERIFY: ['SigningAlgorithms', ['SM2DSA']], KEY_AGREEMENT: ECDH },
};
const USAGES = ENUMS.KeyUsageType as readonly Usage[];

describe('CreateKey', () => {
  test('with no parameters: a symmetric encryption key with every default of spec §5.3 and nothing else', async () => {
    const md = await create();
    assert.match(md.KeyId!, UUID);
    assert.match(md.CurrentKeyMaterialId!, MATERIAL_ID);
    assert.deepEqual(md, {
      AWSAccountId: ACCOUNT,
      KeyId: md.KeyId,
      Arn: arnOf(md.KeyId!),
      CreationDate: new Date(t.clock.now()),
      Enabled: true,
      Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
      CurrentKeyMaterialId: md.CurrentKeyMaterialId,
    } satisfies KeyMetadata);
  });

  test('on the wire KeyMetadata has exactly the default members and CreationDate in epoch seconds', async () => {
    // The SDK drops members it does not model, so absence (DeletionDate, ValidTo, SigningAlgorithms,
    // MacAlgorithms, MultiRegionConfiguration, Tags, …) is checked on the raw response.
    const body = await wire('CreateKey', {});
    const md = body.KeyMetadata as Record<string, unknown>;
    assert.deepEqual(Object.keys(md).sort(), [
      'AWSAccountId',
      'Arn',
      'CreationDate',
      'CurrentKeyMaterialId',
      'CustomerMasterKeySpec',
      'Description',
      'Enabled',
      'EncryptionAlgorithms',
      'KeyId',
      'KeyManager',
      'KeySpec',
      'KeyState',
      'KeyUsage',
      'MultiRegion',
      'Origin',
    ]);
    assert.equal(md.CreationDate, t.clock.now() / 1000);
    assert.deepEqual(Object.keys(body), ['KeyMetadata']);
  });

  test('CreationDate follows the server clock, not the wall clock', async () => {
    t.clock.advance(3 * 60 * 60 * 1000 + 123);
    const md = await create();
    assert.equal(md.CreationDate!.getTime(), t.clock.now());
    const again = (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    assert.equal(again.CreationDate!.getTime(), t.clock.now());
  });

  test('every key gets its own key ID and key material ID', async () => {
    const a = await create();
    const b = await create();
    assert.notEqual(a.KeyId, b.KeyId);
    assert.notEqual(a.CurrentKeyMaterialId, b.CurrentKeyMaterialId);
  });

  test('the table below covers every KeySpec of the model and of src/keys/key-spec.ts', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), [...ENUMS.KeySpec!].sort());
    assert.deepEqual(Object.keys(KEY_SPECS).sort(), [...ENUMS.KeySpec!].sort());
    assert.deepEqual([...USAGES].sort(), ['ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'SIGN_VERIFY']);
  });

  for (const spec of Object.keys(EXPECTED)) {
    for (const usage of USAGES) {
      const want = EXPECTED[spec]![usage];
      if (want) {
        test(`KeySpec ${spec} with KeyUsage ${usage}: ${want[0]} ${want[1].join(', ')}`, async () => {
          const md = await create({ KeySpec: spec as never, KeyUsage: usage });
          assert.equal(md.KeySpec, spec);
          assert.equal(md.CustomerMasterKeySpec, spec, 'the deprecated mirror of KeySpec');
          assert.equal(md.KeyUsage, usage);
          assert.equal(md.KeyState, 'Enabled');
          assert.equal(md.Enabled, true);
          for (const field of ALGORITHM_FIELDS) assert.deepEqual(md[field], field === want[0] ? want[1] : undefined, field);
          if (spec === 'SYMMETRIC_DEFAULT') assert.match(md.CurrentKeyMaterialId!, MATERIAL_ID);
          // Recorded for HMAC_256 (LS-snap); AWS reports material IDs only for symmetric encryption keys.
          else assert.equal(md.CurrentKeyMaterialId, undefined);
        });
      } else {
        test(`KeySpec ${spec} with KeyUsage ${usage} is not compatible`, async () => {
          await rejected({ KeySpec: spec as never, KeyUsage: usage }, 'ValidationException', `KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
        });
      }
    }
  }

  test('a non-symmetric KeySpec without KeyUsage is a ValidationException', async () => {
    for (const spec of Object.keys(EXPECTED).filter((s) => s !== 'SYMMETRIC_DEFAULT')) {
      await rejected(
        { KeySpec: spec as never },
        'ValidationException',
        'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
      );
    }
  });

  test('KeySpec SYMMETRIC_DEFAULT given explicitly, with or without KeyUsage, is the default key', async () => {
    for (const input of [{ KeySpec: 'SYMMETRIC_DEFAULT' }, { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }, { KeyUsage: 'ENCRYPT_DECRYPT' }] as const) {
      const md = await create(input);
      assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
      assert.equal(md.KeyUsage, 'ENCRYPT_DECRYPT');
      assert.deepEqual(md.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    }
  });

  test('KeyUsage other than ENCRYPT_DECRYPT without a KeySpec is checked against SYMMETRIC_DEFAULT', async () => {
    await rejected({ KeyUsage: 'SIGN_VERIFY' }, 'ValidationException', 'KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT');
  });

  test('KeySpec and CustomerMasterKeySpec in one request are refused, even when equal', async () => {
    const message = 'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.';
    await rejected({ KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' }, 'ValidationException', message);
    await rejected({ KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' }, 'ValidationException', message);
  });

  test('the deprecated CustomerMasterKeySpec alone sets KeySpec', async () => {
    const md = await create({ CustomerMasterKeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY' });
    assert.equal(md.KeySpec, 'RSA_3072');
    assert.equal(md.CustomerMasterKeySpec, 'RSA_3072');
    assert.deepEqual(md.SigningAlgorithms, RSA_SIGN[1]);
    const hmac = await create({ CustomerMasterKeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC' });
    assert.equal(hmac.KeySpec, 'HMAC_512');
    assert.deepEqual(hmac.MacAlgorithms, ['HMAC_SHA_512']);
    await rejected({ CustomerMasterKeySpec: 'HMAC_256' }, 'ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  });

  test('CustomerMasterKeySpec has only the older specs in its enum', async () => {
    await rejected(
      { CustomerMasterKeySpec: 'ML_DSA_44' as never, KeyUsage: 'SIGN_VERIFY' },
      'ValidationException',
      /^1 validation error detected: Value 'ML_DSA_44' at 'customerMasterKeySpec' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
  });

  test('Origin EXTERNAL: Enabled false, PendingImport, no key material ID', async () => {
    const md = await create({ Origin: 'EXTERNAL' });
    assert.match(md.KeyId!, UUID);
    assert.deepEqual(md, {
      AWSAccountId: ACCOUNT,
      KeyId: md.KeyId,
      Arn: arnOf(md.KeyId!),
      CreationDate: new Date(t.clock.now()),
      Enabled: false,
      Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'PendingImport',
      Origin: 'EXTERNAL',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    } satisfies KeyMetadata);
    assert.deepEqual((await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata, md);
  });

  test('Origin AWS_KMS given explicitly is the default', async () => {
    const md = await create({ Origin: 'AWS_KMS' });
    assert.equal(md.Origin, 'AWS_KMS');
    assert.equal(md.KeyState, 'Enabled');
    assert.match(md.CurrentKeyMaterialId!, MATERIAL_ID);
  });

  test('MultiRegion true: an mrk- key ID and a PRIMARY configuration naming itself', async () => {
    const md = await create({ MultiRegion: true });
    assert.match(md.KeyId!, /^mrk-[0-9a-f]{32}$/);
    assert.match(md.CurrentKeyMaterialId!, MATERIAL_ID);
    assert.deepEqual(md, {
      AWSAccountId: ACCOUNT,
      KeyId: md.KeyId,
      Arn: arnOf(md.KeyId!),
      CreationDate: new Date(t.clock.now()),
      Enabled: true,
      Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: true,
      MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: arnOf(md.KeyId!), Region: REGION }, ReplicaKeys: [] },
      CurrentKeyMaterialId: md.CurrentKeyMaterialId,
    } satisfies KeyMetadata);
  });

  test('a multi-Region key created in us-west-2 names that Region and ARN', async () => {
    const west = t.client({ region: 'us-west-2' });
    const md = (await west.send(new CreateKeyCommand({ MultiRegion: true, KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    assert.equal(md.Arn, arnOf(md.KeyId!, 'us-west-2'));
    assert.deepEqual(md.MultiRegionConfiguration, {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: arnOf(md.KeyId!, 'us-west-2'), Region: 'us-west-2' },
      ReplicaKeys: [],
    });
    assert.deepEqual(md.MacAlgorithms, ['HMAC_SHA_256']);
    assert.equal(md.CurrentKeyMaterialId, undefined);
  });

  test('MultiRegion false: a UUID key ID and no MultiRegionConfiguration', async () => {
    const md = await create({ MultiRegion: false });
    assert.match(md.KeyId!, UUID);
    assert.equal(md.MultiRegion, false);
    assert.equal(md.MultiRegionConfiguration, undefined);
  });

  test('Description is kept as given', async () => {
    const description = '  Key for "billing" — naïve café\ttab\nline 2  ';
    const md = await create({ Description: description });
    assert.equal(md.Description, description);
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.Description, description);
    assert.equal((await create({ Description: '' })).Description, '');
    assert.equal((await create({ Description: 'd'.repeat(8192) })).Description, 'd'.repeat(8192));
  });

  test('a Description longer than 8192 characters is a model ValidationException', async () => {
    const d = 'd'.repeat(8193);
    await rejected(
      { Description: d },
      'ValidationException',
      `1 validation error detected: Value '${d}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`,
    );
  });

  test('an unknown enum value is a model ValidationException listing the enum', async () => {
    await rejected(
      { KeySpec: 'HMAC_random' as never, KeyUsage: 'GENERATE_VERIFY_MAC' },
      'ValidationException',
      /^1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
    await rejected(
      { KeyUsage: 'ENCRYPT' as never },
      'ValidationException',
      /^1 validation error detected: Value 'ENCRYPT' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
    await rejected(
      { Origin: 'SOMEWHERE' as never },
      'ValidationException',
      /^1 validation error detected: Value 'SOMEWHERE' at 'origin' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    );
  });

  test('a CustomKeyStoreId names a store that does not exist', async () => {
    // Trent has no custom key stores; AWS's message for an unknown store is unrecorded, the text is Trent's.
    await rejected({ CustomKeyStoreId: 'cks-1234567890abcdef0' }, 'CustomKeyStoreNotFoundException', "Custom key store 'cks-1234567890abcdef0' does not exist.");
    await rejected(
      { CustomKeyStoreId: 'cks-1234567890abcdef0', Origin: 'AWS_CLOUDHSM' },
      'CustomKeyStoreNotFoundException',
      "Custom key store 'cks-1234567890abcdef0' does not exist.",
    );
  });

  test('Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE without a CustomKeyStoreId is refused', async () => {
    // AWS's text is unrecorded; Trent's wording names the missing parameter.
    for (const origin of ['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const) {
      await rejected({ Origin: origin }, 'ValidationException', `You must specify a CustomKeyStoreId when Origin is ${origin}.`);
    }
  });

  describe('Tags', () => {
    test('are stored and listed, and never appear in KeyMetadata', async () => {
      const tags = [
        { TagKey: 'Purpose', TagValue: 'Test' },
        { TagKey: 'empty', TagValue: '' },
        { TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) },
      ];
      const body = await wire('CreateKey', { Tags: tags, Description: 'tagged' });
      const md = body.KeyMetadata as Record<string, unknown>;
      assert.equal(md.Tags, undefined);
      assert.ok(!JSON.stringify(body).includes('Purpose'), 'no tag anywhere in the CreateKey response');
      const listed = (await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId as string }))).Tags!;
      assert.deepEqual(listed, tags, 'sorted by tag key');
      assert.ok(!JSON.stringify(await wire('DescribeKey', { KeyId: md.KeyId })).includes('Purpose'), 'no tag anywhere in the DescribeKey response');
    });

    test('50 tags are accepted', async () => {
      const tags = Array.from({ length: 50 }, (_, i) => ({ TagKey: `k${String(i).padStart(2, '0')}`, TagValue: `v${i}` }));
      const md = await create({ Tags: tags });
      assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags, tags);
    });

    test('a tag key of 129 characters is refused and creates no key', async () => {
      const k = 'a'.repeat(129);
      await rejected(
        { Tags: [{ TagKey: 'ok', TagValue: 'x' }, { TagKey: k, TagValue: 'x' }] },
        'ValidationException',
        `1 validation error detected: Value '${k}' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
      );
    });

    test('a tag value of 257 characters is refused and creates no key', async () => {
      const v = 'v'.repeat(257);
      await rejected(
        { Tags: [{ TagKey: 'k', TagValue: v }] },
        'ValidationException',
        `1 validation error detected: Value '${v}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
    });

    test('an aws: prefix, in any case, is reserved and creates no key', async () => {
      for (const reserved of ['aws:project', 'AWS:project', 'Aws:x']) {
        await rejected({ Tags: [{ TagKey: 'fine', TagValue: 'x' }, { TagKey: reserved, TagValue: 'x' }] }, 'TagException', 'Tags beginning with aws: are reserved');
      }
    });

    test('duplicate tag keys are refused and create no key', async () => {
      await rejected({ Tags: [{ TagKey: 'dup', TagValue: '1' }, { TagKey: 'dup', TagValue: '2' }] }, 'TagException', 'Duplicate tag keys');
    });

    test('51 tags are refused and create no key', async () => {
      const tags = Array.from({ length: 51 }, (_, i) => ({ TagKey: `t${i}`, TagValue: 'x' }));
      await rejected({ Tags: tags }, 'TagException', 'Too many tags');
    });
  });

  describe('Policy', () => {
    test('a given policy is returned byte for byte by GetKeyPolicy', async () => {
      const policy =
        '{\n  "Version" : "2012-10-17",\r\n\t"Id": "custom-é",\n  "Statement": [ {"Sid":"Root \\u2603","Effect":"Allow",' +
        `"Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:root"},"Action":"kms:*","Resource":"*"} ]  }\n`;
      const md = await create({ Policy: policy });
      const out = await kms.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }));
      assert.equal(out.Policy, policy);
      assert.equal(out.PolicyName, 'default');
    });

    test('a policy that is not JSON is a MalformedPolicyDocumentException and creates no key', async () => {
      // AWS's CreateKey text for this is unrecorded; Trent answers as PutKeyPolicy does.
      await rejected({ Policy: '{"Version": "2012-10-17", "Statement": [' }, 'MalformedPolicyDocumentException', 'The new key policy is not valid JSON.');
      await rejected({ Policy: 'not json' }, 'MalformedPolicyDocumentException', 'The new key policy is not valid JSON.');
    });
  });
});
