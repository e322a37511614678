// SM2 public-key encryption (GM/T 0003.4), for SM2PKE Encrypt/Decrypt and for material wrapped under an SM2
// wrapping key: C1‖C3‖C2 in the ASN.1 DER SEQUENCE of GM/T 0009 {x INTEGER, y INTEGER, hash OCTET STRING(32),
// ciphertext OCTET STRING}, through sm-crypto-v2 (cipherMode 1, asn1), which node:crypto cannot do. The library
// is loaded on first use.
import { children, readTlv } from './der.ts';
import { ecPrivateScalar, ecPublicPoint } from './ec-keys.ts';
import { lazyModule } from './lazy-module.ts';

export const smCrypto = lazyModule(() => import('sm-crypto-v2'));

const C1C3C2 = 1;

/** Encrypts under the SM2 public key of an SPKI (the uncompressed point 04‖x‖y that ends it). */
export async function sm2Encrypt(spki: Buffer, plaintext: Uint8Array): Promise<Buffer> {
  const { sm2 } = await smCrypto();
  return Buffer.from(sm2.doEncrypt(Uint8Array.from(plaintext), ecPublicPoint(spki, 65).toString('hex'), C1C3C2, { asn1: true }), 'hex');
}

/** The plaintext, or undefined when the ciphertext is malformed or does not open under this PKCS #8 key. */
export async function sm2Decrypt(pkcs8: Buffer, ciphertext: Uint8Array): Promise<Buffer | undefined> {
  const { sm2 } = await smCrypto();
  // sm-crypto-v2's DER reader is lenient; insist on a well-formed SEQUENCE so trailing bytes or a
  // truncated blob fail like any other altered ciphertext.
  if (!isSm2CipherDer(Buffer.from(ciphertext))) return undefined;
  try {
    const d = ecPrivateScalar(pkcs8).toString('hex');
    const out = sm2.doDecrypt(Buffer.from(ciphertext).toString('hex'), d, C1C3C2, { output: 'array', asn1: true });
    // doDecrypt answers [] when the SM3 check value C3 does not match; KMS plaintexts are never empty.
    return out.length === 0 ? undefined : Buffer.from(out);
  } catch {
    return undefined;
  }
}

/** Whether `der` is exactly SEQUENCE { INTEGER, INTEGER, OCTET STRING(32), OCTET STRING } with nothing after. */
function isSm2CipherDer(der: Buffer): boolean {
  const seq = readTlv(der, 0);
  if (!seq || seq.tag !== 0x30 || seq.end !== der.length) return false;
  const parts = children(seq.body);
  return (
    parts !== undefined &&
    parts.length === 4 &&
    parts.map((p) => p.tag).join() === [0x02, 0x02, 0x04, 0x04].join() &&
    parts[2]!.body.length === 32
  );
}
