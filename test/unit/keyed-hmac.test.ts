// The keyed HMAC SigV4 uses against node:crypto's createHmac, across message lengths (the preallocated
// buffer and the allocating path beyond it), and the constant-time string comparison.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { constantTimeEqual, keyedHmacSha256Hex } from '../../src/crypto/keyed-hmac.ts';

test('equals createHmac for keys up to the block size and messages of any length', () => {
  for (const keyLength of [0, 1, 32, 64]) {
    const key = randomBytes(keyLength);
    const hmac = keyedHmacSha256Hex(key);
    for (const length of [0, 1, 55, 64, 200, 1024, 1025, 5000]) {
      const message = Array.from({ length }, (_, i) => String.fromCharCode(32 + ((i * 7) % 95))).join('');
      assert.equal(hmac(message), createHmac('sha256', key).update(message, 'latin1').digest('hex'), `${keyLength}/${length}`);
      // The buffers are reused: a second call must not see the first one's bytes.
      assert.equal(hmac('x'), createHmac('sha256', key).update('x').digest('hex'));
      // Consecutive messages of one length share the kept view: the second must not hash the first's bytes.
      assert.equal(hmac('y'), createHmac('sha256', key).update('y').digest('hex'));
    }
  }
  assert.throws(() => keyedHmacSha256Hex(randomBytes(65)), /longer than the block size/);
});

test('constantTimeEqual', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'ab'), false);
  assert.equal(constantTimeEqual('', ''), true);
});
