// The root key's custody of key material: material is sealed (AES-256-GCM) under a subkey of the root key,
// bound to the key and material it belongs to, before it reaches the store; opened material is cached in
// memory only. Import tokens and material fingerprints use subkeys of their own.
import { createHmac } from 'node:crypto';
import { openAesGcm, sealAesGcm } from '../crypto/aes-gcm.ts';
import { deriveSubkey } from '../crypto/hkdf.ts';
import type { KeyRef } from '../store/store.ts';

const SEALED_VERSION = 1;
const SEALED_PREFIX = Buffer.of(SEALED_VERSION);

export class RootKeyMismatchError extends Error {}

export class MaterialVault {
  readonly #materialKey: Buffer;
  readonly #tokenKey: Buffer;
  readonly #fingerprintKey: Buffer;
  /**
   * Opened material by the sealed buffer it came from (the store's read cache hands out the same one each time):
   * the same Buffer is returned each time, so callers may cache by identity, and an entry goes with its record.
   */
  readonly #opened = new WeakMap<Uint8Array, Buffer>();

  constructor(rootKey: Uint8Array) {
    if (rootKey.length !== 32) throw new Error('the root key must be 32 bytes');
    this.#materialKey = deriveSubkey(rootKey, 'key material');
    this.#tokenKey = deriveSubkey(rootKey, 'import token');
    this.#fingerprintKey = deriveSubkey(rootKey, 'material fingerprint');
  }

  /** Seals a key's secret material for storage. */
  seal(ref: KeyRef, materialId: string, secret: Uint8Array): Buffer {
    return sealAesGcm(this.#materialKey, secret, bindingOf(ref, materialId), SEALED_PREFIX);
  }

  /** Opens sealed material; throws if it was not sealed by this root key for this key and material. */
  open(ref: KeyRef, materialId: string, sealed: Uint8Array): Buffer {
    const hit = this.#opened.get(sealed);
    if (hit !== undefined) return hit;
    const secret =
      sealed[0] === SEALED_VERSION ? openAesGcm(this.#materialKey, sealed.subarray(1), bindingOf(ref, materialId)) : undefined;
    if (secret === undefined) {
      throw new RootKeyMismatchError(`key material ${ref.account}/${ref.region}/${ref.keyId}/${materialId} does not open with this root key`);
    }
    this.#opened.set(sealed, secret);
    return secret;
  }

  /** Seals an opaque token (import parameters) bound to `purpose`; only this root key opens it. */
  sealToken(payload: Uint8Array, purpose: string): Buffer {
    return sealAesGcm(this.#tokenKey, payload, Buffer.from(purpose));
  }

  openToken(token: Uint8Array, purpose: string): Buffer | undefined {
    return openAesGcm(this.#tokenKey, token, Buffer.from(purpose));
  }

  /** A keyed digest identifying material without revealing it (re-import must bring the same material). */
  fingerprint(secret: Uint8Array): Buffer {
    return createHmac('sha256', this.#fingerprintKey).update(secret).digest();
  }

  /** A sealed known value, stored once per database, that tells whether a later root key is the same. */
  checkValue(): string {
    return this.sealToken(Buffer.from('trent root key check'), 'root key check').toString('base64');
  }

  matchesCheckValue(check: string): boolean {
    return this.openToken(Buffer.from(check, 'base64'), 'root key check')?.toString() === 'trent root key check';
  }
}

function bindingOf(ref: KeyRef, materialId: string): Buffer {
  return Buffer.from(`trent key material\0${ref.account}\0${ref.region}\0${ref.keyId}\0${materialId}`);
}
