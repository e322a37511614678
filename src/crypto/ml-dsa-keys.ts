// ML-DSA keys in the X.509/PKCS #8 encodings of RFC 9881: SubjectPublicKeyInfo with the raw public key,
// and the seed-only private key form `[0] IMPLICIT OCTET STRING (32)`, from which the key pair is rebuilt.
import type { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { lazyModule } from './lazy-module.ts';

export type MlDsa = typeof ml_dsa44;

/** The ML-DSA key specs: the last byte of their OID and the length of their raw public key (FIPS 204 Table 2). */
export const ML_DSA: Readonly<Record<string, { oidLastByte: number; publicKeyBytes: number }>> = {
  ML_DSA_44: { oidLastByte: 0x11, publicKeyBytes: 1312 },
  ML_DSA_65: { oidLastByte: 0x12, publicKeyBytes: 1952 },
  ML_DSA_87: { oidLastByte: 0x13, publicKeyBytes: 2592 },
};

const noble = lazyModule(() => import('@noble/post-quantum/ml-dsa.js'));

/** The ML-DSA parameter set of `keySpec`. */
export async function mlDsaAlg(keySpec: string): Promise<MlDsa> {
  const m = await noble();
  const alg = ({ ML_DSA_44: m.ml_dsa44, ML_DSA_65: m.ml_dsa65, ML_DSA_87: m.ml_dsa87 } as Record<string, MlDsa>)[keySpec];
  if (!alg) throw new Error(`no ML-DSA parameters for ${keySpec}`);
  return alg;
}

// 2.16.840.1.101.3.4.3.{17,18,19}
const oid = (last: number) => Buffer.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, last]);

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  if (n < 0x100) return Buffer.of(0x81, n);
  return Buffer.of(0x82, n >> 8, n & 0xff);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.of(tag), derLength(body.length), body]);

export function mlDsaSpki(keySpec: string, publicKey: Uint8Array): Buffer {
  const p = ML_DSA[keySpec]!;
  return tlv(0x30, Buffer.concat([tlv(0x30, oid(p.oidLastByte)), tlv(0x03, Buffer.concat([Buffer.of(0), publicKey]))]));
}

export function mlDsaPkcs8(keySpec: string, seed: Uint8Array): Buffer {
  const p = ML_DSA[keySpec]!;
  const version = Buffer.of(0x02, 0x01, 0x00);
  const privateKey = tlv(0x04, tlv(0x80, Buffer.from(seed)));
  return tlv(0x30, Buffer.concat([version, tlv(0x30, oid(p.oidLastByte)), privateKey]));
}

/** The 32-byte seed of a seed-only ML-DSA PKCS #8 key of `keySpec`; undefined if it is not one. */
export function mlDsaSeedFromPkcs8(keySpec: string, der: Uint8Array): Uint8Array | undefined {
  const expected = mlDsaPkcs8(keySpec, Buffer.alloc(32));
  if (der.length !== expected.length) return undefined;
  const prefix = expected.subarray(0, expected.length - 32);
  if (!Buffer.from(der.subarray(0, prefix.length)).equals(prefix)) return undefined;
  return der.subarray(prefix.length);
}

/** The key pair of a seed (deterministic, FIPS 204 ML-DSA.KeyGen_internal). */
export async function mlDsaKeyPair(keySpec: string, seed: Uint8Array): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  return (await mlDsaAlg(keySpec)).keygen(seed);
}
