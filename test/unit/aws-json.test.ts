// The response encoder: top-level blobs become base64; everything else is left as it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBlobs } from '../../src/protocol/aws-json.ts';

test('top-level Buffers and Uint8Arrays become base64 without touching the handler output', () => {
  const body = { CiphertextBlob: Buffer.from('hello'), PublicKey: new Uint8Array([0, 255, 1]), KeyId: 'k', Truncated: false };
  const out = encodeBlobs(body);
  assert.deepEqual(out, { CiphertextBlob: 'aGVsbG8=', PublicKey: 'AP8B', KeyId: 'k', Truncated: false });
  assert.ok(Buffer.isBuffer(body.CiphertextBlob), 'the input object is not modified');
});

test('a view into a larger buffer encodes only its own bytes', () => {
  const whole = Buffer.from('xxhelloxx');
  assert.equal(encodeBlobs({ Plaintext: whole.subarray(2, 7) }).Plaintext, 'aGVsbG8=');
});

test('an output without blobs is returned as is', () => {
  const body = { Tags: [{ TagKey: 'a', TagValue: 'b' }], Truncated: false };
  assert.equal(encodeBlobs(body), body);
});
