// ECDSA over a caller-supplied digest (MessageType DIGEST) with @noble/curves, because node:crypto
// always hashes its input. DER output, randomized k, and no low-S normalization: AWS KMS returns
// OpenSSL-style signatures whose s may be high (ethers signers normalize it themselves).
import type { p256 } from '@noble/curves/nist.js';
import { ecPrivateScalar, ecPublicPoint } from './ec-keys.ts';
import { lazyModule } from './lazy-module.ts';

type Curve = typeof p256;

const curves = lazyModule(async (): Promise<Readonly<Record<string, Curve>>> => {
  const [{ p256, p384, p521 }, { secp256k1 }] = await Promise.all([import('@noble/curves/nist.js'), import('@noble/curves/secp256k1.js')]);
  return { ECC_NIST_P256: p256, ECC_NIST_P384: p384, ECC_NIST_P521: p521, ECC_SECG_P256K1: secp256k1 as unknown as Curve };
});

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
