// Parsed node:crypto KeyObjects for DER key material, cached by the identity of the DER buffer: the vault
// and the store's read cache hand out the same buffer per material, and parsing a key costs up to ~1 ms.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

const privateKeys = new WeakMap<Uint8Array, KeyObject>();
const publicKeys = new WeakMap<Uint8Array, KeyObject>();

export function privateKeyObject(pkcs8: Uint8Array): KeyObject {
  let k = privateKeys.get(pkcs8);
  if (k === undefined) privateKeys.set(pkcs8, (k = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })));
  return k;
}

export function publicKeyObject(spki: Uint8Array): KeyObject {
  let k = publicKeys.get(spki);
  if (k === undefined) publicKeys.set(spki, (k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })));
  return k;
}
