// The parts of EC keys that node:crypto will not hand over for every curve: the private scalar of a PKCS #8 key
// (Node aborts when asked to export an SM2 key as SEC1), the public point that ends an SPKI, and an SPKI's curve.
import { children, readTlv } from './der.ts';

/** OpenSSL curve name by the named-curve OID (content bytes, hex) of an id-ecPublicKey SPKI. */
const CURVE_BY_OID: Readonly<Record<string, string>> = {
  '2a8648ce3d030107': 'prime256v1', // 1.2.840.10045.3.1.7
  '2b81040022': 'secp384r1', // 1.3.132.0.34
  '2b81040023': 'secp521r1', // 1.3.132.0.35
  '2b8104000a': 'secp256k1', // 1.3.132.0.10
  '2a811ccf5501822d': 'SM2', // 1.2.156.10197.1.301
};
const EC_PUBLIC_KEY_OID = '2a8648ce3d0201'; // 1.2.840.10045.2.1

/**
 * The private scalar d of an EC PKCS #8 key: PrivateKeyInfo { version, algorithm, OCTET STRING {
 * ECPrivateKey (RFC 5915) { version, OCTET STRING d, … } } }.
 */
export function ecPrivateScalar(pkcs8: Buffer): Buffer {
  const top = readTlv(pkcs8, 0);
  const [, , wrapped] = (top && children(top.body)) ?? [];
  const inner = wrapped?.tag === 0x04 ? readTlv(wrapped.body, 0) : undefined;
  const [, d] = (inner && children(inner.body)) ?? [];
  if (!d || d.tag !== 0x04) throw new Error('not an EC PKCS #8 private key');
  return d.body;
}

/** The uncompressed public point (`length` bytes) that ends an EC SubjectPublicKeyInfo. */
export function ecPublicPoint(spki: Buffer, length: number): Buffer {
  return spki.subarray(spki.length - length);
}

/** The curve and encoded point of an EC SubjectPublicKeyInfo; undefined for anything else. */
export function parseEcSpki(spki: Buffer): { curve: string; point: Buffer } | undefined {
  const top = readTlv(spki, 0);
  if (!top || top.tag !== 0x30 || top.end !== spki.length) return undefined;
  const [alg, key, ...rest] = children(top.body) ?? [];
  if (!alg || !key || rest.length > 0 || alg.tag !== 0x30 || key.tag !== 0x03) return undefined;
  const [kind, curveOid] = children(alg.body) ?? [];
  if (kind?.tag !== 0x06 || kind.body.toString('hex') !== EC_PUBLIC_KEY_OID || curveOid?.tag !== 0x06) return undefined;
  const curve = CURVE_BY_OID[curveOid.body.toString('hex')];
  if (curve === undefined || key.body.length < 2 || key.body[0] !== 0) return undefined;
  return { curve, point: key.body.subarray(1) };
}
