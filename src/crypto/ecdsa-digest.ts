// ECDSA over a caller-supplied digest (MessageType DIGEST) with @noble/curves, because node:crypto
// always hashes its input. DER output, randomized k, and no low-S normalization: AWS KMS returns
// OpenSSL-style signatures whose s may be high (ethers signers normalize it themselves).
import type { p256 } from '@noble/curves/nist.js';
import { lazyModule } from './lazy-module.ts';

type Curve = typeof p256;

const curves = lazyModule(async (): Promise<Readonly<Record<string, Curve>>> => {
  const [{ p256, p384, p521 }, { secp256k1 }] = await Promise.all([import('@noble/curves/nist.js'), import('@noble/curves/secp256k1.js')]);
  return { ECC_NIST_P256: p256, ECC_NIST_P384: p384, ECC_NIST_P521: p521, ECC_SECG_P256K1: secp256k1 as unknown as Curve };
});

/** One DER TLV at `offset`: where its value starts and ends. */
function tlv(der: Buffer, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset]!;
  let len = der[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}

/**
 * The private scalar d of an EC PKCS #8 key: PrivateKeyInfo { version, algorithm, OCTET STRING {
 * ECPrivateKey { version, OCTET STRING d, … } } }. Parsed by hand because node aborts the process when
 * asked to export an SM2 key as SEC1.
 */
export function ecPrivateScalar(pkcs8: Buffer): Buffer {
  const outer = tlv(pkcs8, 0);
  const version = tlv(pkcs8, outer.start);
  const algorithm = tlv(pkcs8, version.end);
  const wrapped = tlv(pkcs8, algorithm.end);
  if (wrapped.tag !== 0x04) throw new Error('unexpected PKCS #8 EC private key encoding');
  const ecPrivateKey = tlv(pkcs8, wrapped.start);
  const ecVersion = tlv(pkcs8, ecPrivateKey.start);
  const d = tlv(pkcs8, ecVersion.end);
  if (d.tag !== 0x04) throw new Error('unexpected SEC1 private key encoding');
  return pkcs8.subarray(d.start, d.end);
}

/** The uncompressed public point (`length` bytes) that ends an EC SubjectPublicKeyInfo. */
export function ecPublicPoint(spki: Buffer, length: number): Buffer {
  return spki.subarray(spki.length - length);
}

async function curveOf(keySpec: string): Promise<Curve> {
  const curve = (await curves())[keySpec];
  if (!curve) throw new Error(`no ECDSA curve for ${keySpec}`);
  return curve;
}

export async function signEcdsaDigest(keySpec: string, pkcs8: Buffer, digest: Buffer): Promise<Buffer> {
  const curve = await curveOf(keySpec);
  // DER integers may drop leading zero bytes; noble wants the scalar at its fixed length.
  const d = ecPrivateScalar(pkcs8);
  const scalar = Buffer.concat([Buffer.alloc(Math.max(0, curve.lengths.secretKey! - d.length)), d]);
  const signature = curve.sign(digest, scalar, {
    prehash: false,
    lowS: false,
    format: 'der',
    extraEntropy: true,
  });
  return Buffer.from(signature);
}

export async function verifyEcdsaDigest(keySpec: string, spki: Buffer, digest: Buffer, signature: Buffer): Promise<boolean> {
  const curve = await curveOf(keySpec);
  const point = ecPublicPoint(spki, curve.lengths.publicKeyUncompressed!);
  try {
    return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
  } catch {
    return false;
  }
}
