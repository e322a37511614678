// The symmetric envelope and the canonical encryption context: layout, self-description, tamper evidence,
// and that distinct contexts never bind alike.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { decodeHeader, ENVELOPE_OVERHEAD, HEADER_BYTES } from '../../src/keys/ciphertext.ts';
import { canonicalEncryptionContext } from '../../src/keys/encryption-context.ts';
import { decryptSymmetric, encryptSymmetric } from '../../src/keys/symmetric-encryption.ts';
import type { KeyMaterialRecord } from '../../src/store/store.ts';

const material = (keyId: string): KeyMaterialRecord => ({
  account: '000011112222',
  region: 'us-east-1',
  keyId,
  materialId: 'ab'.repeat(32),
  createdAt: 0,
  state: 'CURRENT',
});
const UUID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';

describe('symmetric ciphertext envelope', () => {
  test('names the account, key and material, for UUID and multi-Region key IDs', () => {
    for (const keyId of [UUID, MRK]) {
      const blob = encryptSymmetric(randomBytes(32), material(keyId), Buffer.from('x'), undefined);
      assert.deepEqual(decodeHeader(blob), { account: '000011112222', keyId, materialId: 'ab'.repeat(32) });
    }
  });

  test('is compact: a fixed overhead of 83 bytes over the plaintext', () => {
    const blob = encryptSymmetric(randomBytes(32), material(UUID), Buffer.alloc(100), undefined);
    assert.equal(ENVELOPE_OVERHEAD, 83);
    assert.equal(blob.length, 100 + ENVELOPE_OVERHEAD);
  });

  test('round-trips, and any changed byte — header included — fails to open', () => {
    const secret = randomBytes(32);
    const blob = encryptSymmetric(secret, material(UUID), Buffer.from('secret data'), { purpose: 'test' });
    assert.equal(decryptSymmetric(secret, blob, { purpose: 'test' })?.toString(), 'secret data');
    for (const i of [1, 5, 10, HEADER_BYTES - 1, HEADER_BYTES + 3, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[i]! ^= 1;
      assert.equal(decryptSymmetric(secret, bad, { purpose: 'test' }), undefined, `byte ${i}`);
    }
    assert.equal(decryptSymmetric(randomBytes(32), blob, { purpose: 'test' }), undefined);
  });

  test('the encryption context must match exactly; absent and empty are the same context', () => {
    const secret = randomBytes(32);
    const blob = encryptSymmetric(secret, material(UUID), Buffer.from('p'), { a: '1', b: '2' });
    assert.ok(decryptSymmetric(secret, blob, { b: '2', a: '1' }), 'order does not matter');
    assert.equal(decryptSymmetric(secret, blob, { a: '1' }), undefined);
    assert.equal(decryptSymmetric(secret, blob, { a: '1', b: '2', c: '' }), undefined);
    const none = encryptSymmetric(secret, material(UUID), Buffer.from('p'), undefined);
    assert.ok(decryptSymmetric(secret, none, {}));
  });

  test('rejects what is not an envelope', () => {
    assert.equal(decodeHeader(Buffer.alloc(10)), undefined);
    const blob = encryptSymmetric(randomBytes(32), material(UUID), Buffer.from('p'), undefined);
    const wrongVersion = Buffer.from(blob);
    wrongVersion[0] = 2;
    assert.equal(decodeHeader(wrongVersion), undefined);
    const unknownFlag = Buffer.from(blob);
    unknownFlag[1] = 4;
    assert.equal(decodeHeader(unknownFlag), undefined);
  });
});

describe('canonical encryption context', () => {
  test('different contexts never encode alike, even when their concatenations would', () => {
    const contexts: Record<string, string>[] = [
      { ab: 'c' },
      { a: 'bc' },
      { a: 'b', c: '' },
      { 'a\u0000b': 'c' },
      { a: '', b: 'c' },
      { '': 'abc' },
    ];
    const seen = new Set(contexts.map((c) => canonicalEncryptionContext(c).toString('hex')));
    assert.equal(seen.size, contexts.length);
  });

  test('sorts pairs by UTF-8 bytes of the key', () => {
    assert.deepEqual(canonicalEncryptionContext({ b: '1', a: '2', é: '3' }), canonicalEncryptionContext({ é: '3', a: '2', b: '1' }));
  });
});
