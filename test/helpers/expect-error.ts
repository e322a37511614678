// Asserts that an SDK call fails with exactly the given AWS error type and message (and HTTP 400).
import assert from 'node:assert/strict';

interface SdkError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
}

export async function expectError(
  call: Promise<unknown>,
  type: string,
  message: string | RegExp,
  status = 400,
): Promise<void> {
  let err: SdkError | undefined;
  try {
    await call;
  } catch (e) {
    err = e as SdkError;
  }
  assert.ok(err, `expected ${type} but the call succeeded`);
  assert.equal(err.name, type, `expected ${type}, got ${err.name}: ${err.message}`);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  assert.equal(err.$metadata?.httpStatusCode, status);
}
