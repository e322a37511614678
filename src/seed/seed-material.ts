// Fixed key material in a seed: base64 raw bytes for symmetric and HMAC keys, PKCS #8 (PEM, or base64 of the
// DER) for asymmetric keys. It must fit the key spec by the rules ImportKeyMaterial applies. Its KeyMaterialId
// is derived from the key ID and the material, so every instance seeded with the same file names it alike and
// accepts the others' ciphertexts.
import { createHash, createPrivateKey } from 'node:crypto';
import { checkImportedMaterial, HMAC_LENGTHS } from '../crypto/imported-key-check.ts';
import { SHAPES } from '../model/kms.generated.ts';

export interface SeedMaterial {
  /** 64 lower-case hex characters, as ciphertexts carry it. */
  materialId: string;
  /** The material in stored form (raw bytes, or canonical PKCS #8 DER). */
  secret: Buffer;
  /** SubjectPublicKeyInfo DER of asymmetric keys. */
  publicKey?: Buffer;
}

const MATERIAL_ID_RE = /^[0-9a-f]{64}$/;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const KEY_SPECS: readonly string[] = SHAPES.KeySpec?.enum ?? [];

/** `material`: one value, or a list of versions oldest first (each a value or {keyMaterialId, material}). */
export async function decodeSeedMaterial(value: unknown, keyId: string, keySpec: string, fail: (msg: string) => never): Promise<SeedMaterial[]> {
  if (!KEY_SPECS.includes(keySpec)) return fail(`keySpec "${keySpec}" is not a KMS key spec (${KEY_SPECS.join(', ')})`);
  const versions = Array.isArray(value) ? value : [value];
  if (versions.length === 0) return fail('an empty list: give the material, or leave material out to have it generated');
  // Only symmetric encryption keys rotate, so only they have earlier versions to decrypt with.
  if (versions.length > 1 && keySpec !== 'SYMMETRIC_DEFAULT') {
    return fail(`several versions are possible only for symmetric encryption keys (SYMMETRIC_DEFAULT), not ${keySpec}`);
  }
  const out: SeedMaterial[] = [];
  for (const [i, v] of versions.entries()) {
    const at = versions.length > 1 ? `[${i}] ` : '';
    const failHere = (msg: string): never => fail(`${at}${msg}`);
    let text: unknown = v;
    let explicitId: string | undefined;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const unknown = Object.keys(o).find((k) => k !== 'keyMaterialId' && k !== 'material');
      if (unknown !== undefined) failHere(`unknown field "${unknown}" (known: keyMaterialId, material)`);
      if (typeof o.keyMaterialId !== 'string' || !MATERIAL_ID_RE.test(o.keyMaterialId)) {
        failHere('keyMaterialId must be 64 lower-case hex characters');
      }
      explicitId = o.keyMaterialId as string;
      text = o.material;
    }
    if (typeof text !== 'string') return failHere('material is a string: base64, or a PEM private key');
    const checked = await checkImportedMaterial(keySpec, decodeText(text, failHere));
    if (checked === undefined) return failHere(misfit(keySpec));
    const m: SeedMaterial = { materialId: explicitId ?? seedMaterialId(keyId, checked.secret), secret: checked.secret };
    if (checked.publicKey !== undefined) m.publicKey = checked.publicKey;
    out.push(m);
  }
  const ids = new Set(out.map((m) => m.materialId));
  if (ids.size !== out.length) return fail('the same key material (or keyMaterialId) is listed twice');
  return out;
}

export function seedMaterialId(keyId: string, secret: Uint8Array): string {
  return createHash('sha256').update(`trent seed key material\0${keyId}\0`).update(secret).digest('hex');
}

function decodeText(text: string, fail: (msg: string) => never): Buffer {
  const pem = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (pem) {
    if (pem[1] === 'ENCRYPTED PRIVATE KEY') return fail('an encrypted private key: give it unencrypted');
    if (pem[1] === 'PRIVATE KEY') {
      const body = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(text);
      if (!body) return fail('a PEM private key without its END line');
      return base64(body[1]!, fail);
    }
    // PKCS #1 (RSA PRIVATE KEY) and SEC 1 (EC PRIVATE KEY) PEM: node reads them; stored as PKCS #8.
    try {
      return createPrivateKey({ key: text, format: 'pem' }).export({ format: 'der', type: 'pkcs8' });
    } catch {
      return fail(`a PEM "${pem[1]}" block that is not a readable private key`);
    }
  }
  return base64(text, fail);
}

function base64(text: string, fail: (msg: string) => never): Buffer {
  const compact = text.replace(/\s+/g, '');
  const bytes = Buffer.from(compact, 'base64');
  if (!BASE64_RE.test(compact) || compact.length % 4 !== 0 || bytes.length === 0) return fail('not valid base64');
  return bytes;
}

function misfit(keySpec: string): string {
  if (keySpec === 'SYMMETRIC_DEFAULT') return 'symmetric key material is 32 bytes, base64-encoded';
  const hmac = HMAC_LENGTHS[keySpec];
  if (hmac !== undefined) return `${keySpec} key material is ${hmac[0]} to ${hmac[1]} bytes, base64-encoded`;
  return `not a private key for ${keySpec}: give a PKCS #8 private key as PEM or as base64 of its DER`;
}
