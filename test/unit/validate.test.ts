// parseInput: JSON type errors (SerializationException) and model constraints (ValidationException), exact messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KmsError } from '../../src/errors.ts';
import { ENUMS } from '../../src/model/kms.generated.ts';
import { javaPatternToRegExp } from '../../src/protocol/java-regex.ts';
import { parseInput } from '../../src/protocol/validate.ts';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';

function fails(op: string, body: unknown, type: string, message: string): void {
  assert.throws(
    () => parseInput(op, body),
    (e: unknown) => {
      assert.ok(e instanceof KmsError, `expected a KmsError, got ${String(e)}`);
      assert.equal(e.type, type);
      assert.equal(e.message, message);
      return true;
    },
  );
}

const invalid = (op: string, body: unknown, message: string) => fails(op, body, 'ValidationException', message);
const malformed = (op: string, body: unknown, message: string) => fails(op, body, 'SerializationException', message);

test('tag key of 129 characters', () => {
  const key = 'a'.repeat(129);
  const msg = `1 validation error detected: Value '${key}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`;
  invalid('CreateKey', { Tags: [{ TagKey: key, TagValue: 'v' }] }, msg);
  invalid('TagResource', { KeyId: KEY, Tags: [{ TagKey: key, TagValue: 'v' }] }, msg);
});

test('tag value of 257 characters, in the second tag', () => {
  const value = 'v'.repeat(257);
  invalid(
    'TagResource',
    { KeyId: KEY, Tags: [{ TagKey: 'a', TagValue: '' }, { TagKey: 'b', TagValue: value }] },
    `1 validation error detected: Value '${value}' at 'tags.2.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
  );
});

test('128-character key and 256-character value pass; an empty value passes', () => {
  const out = parseInput('TagResource', {
    KeyId: KEY,
    Tags: [{ TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) }, { TagKey: 'e', TagValue: '' }],
  });
  assert.deepEqual(out, {
    KeyId: KEY,
    Tags: [{ TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) }, { TagKey: 'e', TagValue: '' }],
  });
});

test('empty keyId', () => {
  invalid(
    'DescribeKey',
    { KeyId: '' },
    "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test('missing required members, in model order', () => {
  invalid(
    'TagResource',
    { KeyId: KEY },
    "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
  );
  invalid(
    'TagResource',
    {},
    "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'tags' failed to satisfy constraint: Member must not be null",
  );
  invalid(
    'TagResource',
    { KeyId: KEY, Tags: [{ TagKey: 'a' }] },
    "1 validation error detected: Value null at 'tags.1.member.tagValue' failed to satisfy constraint: Member must not be null",
  );
});

test('a JSON null counts as absent', () => {
  invalid(
    'DescribeKey',
    { KeyId: null },
    "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
  );
  assert.deepEqual(parseInput('ListResourceTags', { KeyId: KEY, Limit: null }), { KeyId: KEY });
});

test('enum: KeySpec HMAC_random lists the set in model order', () => {
  const prefix =
    "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256,";
  const full = `1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${ENUMS.KeySpec!.join(', ')}]`;
  assert.ok(full.startsWith(prefix));
  invalid('CreateKey', { KeySpec: 'HMAC_random' }, full);
});

test('GenerateRandom NumberOfBytes 0 and 1025', () => {
  invalid(
    'GenerateRandom',
    { NumberOfBytes: 0 },
    "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  invalid(
    'GenerateRandom',
    { NumberOfBytes: 1025 },
    "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
  );
  assert.deepEqual(parseInput('GenerateRandom', { NumberOfBytes: 1024 }), { NumberOfBytes: 1024 });
  // GenerateRandom has no required members in the model; "NumberOfBytes is required." is a business rule.
  assert.deepEqual(parseInput('GenerateRandom', {}), {});
});

test('a fractional number where an integer is expected is truncated, as Coral does', () => {
  assert.deepEqual(parseInput('GenerateRandom', { NumberOfBytes: 32.9 }), { NumberOfBytes: 32 });
  invalid(
    'GenerateRandom',
    { NumberOfBytes: 0.5 },
    "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test('ListResourceTags Limit 0 and 1001 (model LimitType is 1..1000)', () => {
  invalid(
    'ListResourceTags',
    { KeyId: KEY, Limit: 0 },
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  invalid(
    'ListResourceTags',
    { KeyId: KEY, Limit: 1001 },
    "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
  );
  assert.deepEqual(parseInput('ListResourceTags', { KeyId: KEY, Limit: 1000 }), { KeyId: KEY, Limit: 1000 });
});

test('sensitive plaintext over 4096 bytes omits the value', () => {
  invalid(
    'Encrypt',
    { KeyId: KEY, Plaintext: Buffer.alloc(4097, 7).toString('base64') },
    "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
  );
  const out = parseInput('Encrypt', { KeyId: KEY, Plaintext: Buffer.alloc(4096, 7).toString('base64') });
  assert.equal((out.Plaintext as Buffer).length, 4096);
});

test('a non-sensitive blob is shown as Java prints a ByteBuffer', () => {
  invalid(
    'Decrypt',
    { CiphertextBlob: '' },
    "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test('several errors are joined in model order', () => {
  invalid(
    'CreateKey',
    { Description: 'd'.repeat(8193), KeyUsage: 'NOPE', Tags: [{ TagKey: '', TagValue: 'x' }] },
    '3 validation errors detected: ' +
      "Value '" + 'd'.repeat(8193) + "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192; " +
      `Value 'NOPE' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [${ENUMS.KeyUsageType!.join(', ')}]; ` +
      "Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test('at most ten errors are reported', () => {
  const tags = Array.from({ length: 12 }, () => ({ TagKey: '', TagValue: 'x' }));
  assert.throws(
    () => parseInput('TagResource', { KeyId: KEY, Tags: tags }),
    (e: unknown) => {
      assert.ok(e instanceof KmsError);
      assert.match(e.message, /^10 validation errors detected: /);
      assert.equal(e.message.split('; ').length, 10);
      assert.ok(e.message.endsWith("at 'tags.10.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1"));
      return true;
    },
  );
});

test('AliasName pattern, and an empty name breaks both length and pattern', () => {
  invalid(
    'CreateAlias',
    { AliasName: 'alias/bad name', TargetKeyId: KEY },
    "1 validation error detected: Value 'alias/bad name' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
  );
  invalid(
    'CreateAlias',
    { AliasName: '', TargetKeyId: KEY },
    "2 validation errors detected: Value '' at 'aliasName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value '' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
  );
  assert.deepEqual(parseInput('CreateAlias', { AliasName: 'alias/ok_1:-/x', TargetKeyId: KEY }), {
    AliasName: 'alias/ok_1:-/x',
    TargetKeyId: KEY,
  });
});

test('unanchored model patterns must match the whole string (Java matches())', () => {
  invalid(
    'GetKeyPolicy',
    { KeyId: KEY, PolicyName: 'default!' },
    "1 validation error detected: Value 'default!' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
  );
  assert.deepEqual(parseInput('GetKeyPolicy', { KeyId: KEY, PolicyName: 'default' }), { KeyId: KEY, PolicyName: 'default' });
  const cluster = javaPatternToRegExp('cluster-[2-7a-zA-Z]{11,16}');
  assert.ok(cluster.test('cluster-abcdefghijk'));
  assert.ok(!cluster.test('xcluster-abcdefghijk'));
  const alt = javaPatternToRegExp('^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$');
  assert.ok(alt.test('/kms/xks/v1'));
  assert.ok(alt.test('/a/kms/xks/v12'));
  assert.ok(!alt.test('/kms/xks/v1\n'));
});

test('Java \\s is ASCII whitespace only', () => {
  const re = javaPatternToRegExp('^[a-zA-Z0-9:/_\\s.-]+$');
  assert.ok(re.test('a b\tc'));
  assert.ok(!re.test('a\u00a0b'));
  assert.throws(() => javaPatternToRegExp('\\p{L}+'), /unsupported escape/);
});

test('string length counts UTF-16 code units, as Java does', () => {
  const key = '\u{1F600}'.repeat(64); // 64 code points, 128 UTF-16 units
  assert.deepEqual(parseInput('UntagResource', { KeyId: KEY, TagKeys: [key] }), { KeyId: KEY, TagKeys: [key] });
  const tooLong = `${key}a`;
  invalid(
    'TagResource',
    { KeyId: KEY, Tags: [{ TagKey: tooLong, TagValue: 'v' }] },
    `1 validation error detected: Value '${tooLong}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
  );
});

test('a list of strings is reported once, at the list, with every member constraint', () => {
  invalid(
    'UntagResource',
    { KeyId: KEY, TagKeys: ['ok', 'x'.repeat(129)] },
    `1 validation error detected: Value '[ok, ${'x'.repeat(129)}]' at 'tagKeys' failed to satisfy constraint: ` +
      'Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]',
  );
  invalid(
    'Decrypt',
    { CiphertextBlob: 'AAAA', GrantTokens: Array.from({ length: 11 }, (_, i) => `t${i}`) },
    "1 validation error detected: Value '[t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10]' at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10",
  );
});

test('null list entries', () => {
  invalid(
    'TagResource',
    { KeyId: KEY, Tags: [null] },
    "1 validation error detected: Value null at 'tags.1.member' failed to satisfy constraint: Member must not be null",
  );
  invalid(
    'UntagResource',
    { KeyId: KEY, TagKeys: ['a', null] },
    "1 validation error detected: Value '[a, null]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: " +
      '[Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must not be null]',
  );
});

test('wrong JSON types are SerializationExceptions with Coral wording', () => {
  malformed('DescribeKey', [], 'Start of list found where not expected');
  malformed('DescribeKey', 'x', '');
  malformed('DescribeKey', 5, '');
  malformed('DescribeKey', { KeyId: 5 }, 'NUMBER_VALUE can not be converted to a String');
  malformed('DescribeKey', { KeyId: true }, 'TRUE_VALUE can not be converted to a String');
  malformed('DescribeKey', { KeyId: {} }, 'Start of structure or map found where not expected.');
  malformed('DescribeKey', { KeyId: ['a'] }, 'Start of list found where not expected');
  malformed('GenerateRandom', { NumberOfBytes: '32' }, 'STRING_VALUE can not be converted to an Integer');
  malformed('GenerateRandom', { NumberOfBytes: false }, 'FALSE_VALUE can not be converted to an Integer');
  malformed('ListResourceTags', { KeyId: KEY, Limit: [] }, 'Start of list found where not expected');
  malformed('TagResource', { KeyId: KEY, Tags: {} }, 'Start of structure or map found where not expected.');
  malformed('TagResource', { KeyId: KEY, Tags: 'a' }, 'Expected list or null');
  malformed('TagResource', { KeyId: KEY, Tags: ['a'] }, 'Expected null');
  malformed('TagResource', { KeyId: KEY, Tags: [[]] }, 'Start of list found where not expected');
  malformed('Encrypt', { KeyId: KEY, Plaintext: 'AAAA', EncryptionContext: 'a' }, 'Expected map or null');
  malformed('Encrypt', { KeyId: KEY, Plaintext: 'AAAA', EncryptionContext: { a: 1 } }, 'NUMBER_VALUE can not be converted to a String');
  malformed('Encrypt', { KeyId: KEY, Plaintext: 'AAAA', DryRun: 'true' }, 'STRING_VALUE can not be converted to a Boolean');
  malformed('Encrypt', { KeyId: KEY, Plaintext: 12 }, 'NUMBER_VALUE can not be converted to a Blob');
});

test('a type error wins over constraint failures found earlier', () => {
  malformed('TagResource', { KeyId: '', Tags: 'a' }, 'Expected list or null');
});

test('blobs are decoded from base64; invalid base64 is a SerializationException', () => {
  const out = parseInput('Encrypt', { KeyId: KEY, Plaintext: 'aGVsbG8=' });
  assert.ok(Buffer.isBuffer(out.Plaintext));
  assert.equal((out.Plaintext as Buffer).toString('utf8'), 'hello');
  malformed(
    'Decrypt',
    { CiphertextBlob: 'abcde' },
    "'abcde' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5",
  );
  malformed('Decrypt', { CiphertextBlob: 'ab$=' }, "'ab$=' can not be converted to a Blob: Invalid Base64 character: '$'");
  malformed('Decrypt', { CiphertextBlob: '=+/=' }, "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='");
  malformed('Decrypt', { CiphertextBlob: '+/+=' }, "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
});

test('timestamps become Dates: epoch seconds or ISO-8601', () => {
  const base = { KeyId: KEY, ImportToken: 'AAAA', EncryptedKeyMaterial: 'AAAA' };
  const a = parseInput('ImportKeyMaterial', { ...base, ValidTo: 1700000000.5 });
  assert.deepEqual(a.ValidTo, new Date(1700000000500));
  const b = parseInput('ImportKeyMaterial', { ...base, ValidTo: '2030-01-02T03:04:05Z' });
  assert.deepEqual(b.ValidTo, new Date(Date.UTC(2030, 0, 2, 3, 4, 5)));
  malformed('ImportKeyMaterial', { ...base, ValidTo: 'soon' }, 'STRING_VALUE can not be converted to milliseconds since epoch');
});

test('unknown members are ignored and left out of the result', () => {
  const body = JSON.parse(`{"KeyId":"${KEY}","Bogus":{"x":[1]},"__proto__":{"polluted":true}}`) as unknown;
  const out = parseInput('DescribeKey', body);
  assert.deepEqual(out, { KeyId: KEY });
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
});

test('maps keep odd keys as plain own properties', () => {
  const body = JSON.parse(`{"KeyId":"${KEY}","Plaintext":"AAAA","EncryptionContext":{"__proto__":"x","a":"b"}}`) as unknown;
  const ctx = parseInput('Encrypt', body).EncryptionContext as Record<string, string>;
  assert.deepEqual(Object.entries(ctx), [['__proto__', 'x'], ['a', 'b']]);
  assert.equal(Object.getPrototypeOf(ctx), Object.prototype);
});

test('the result is a new object; operations without input accept any object', () => {
  const body = { KeyId: KEY };
  const out = parseInput('DescribeKey', body);
  assert.notEqual(out, body);
  assert.deepEqual(parseInput('ListKeys', {}), {});
  assert.deepEqual(parseInput('ListKeys', null), {});
  assert.deepEqual(parseInput('EnableKey', { KeyId: KEY, Extra: 1 }), { KeyId: KEY });
});

test('an unknown operation is rejected', () => {
  fails('Nope', {}, 'UnknownOperationException', '');
});
