// ECDH for DeriveSharedSecret on P-256/P-384/P-521 and SM2: the raw shared x-coordinate (SP 800-56A, no KDF).
// Keys are read from their DER directly and fed to node:crypto's ECDH, because Node 20 loads SM2 DER keys as
// a key type that crypto.diffieHellman rejects; the same path serves every curve.
import { createECDH, type ECDH } from 'node:crypto';

/** OpenSSL curve name by the named-curve OID (content bytes, hex) of an id-ecPublicKey SPKI. */
const CURVE_BY_OID: Readonly<Record<string, string>> = {
  '2a8648ce3d030107': 'prime256v1', // 1.2.840.10045.3.1.7
  '2b81040022': 'secp384r1', // 1.3.132.0.34
  '2b81040023': 'secp521r1', // 1.3.132.0.35
  '2b8104000a': 'secp256k1', // 1.3.132.0.10
  '2a811ccf5501822d': 'SM2', // 1.2.156.10197.1.301
};
const EC_PUBLIC_KEY_OID = '2a8648ce3d0201'; // 1.2.840.10045.2.1

interface Tlv {
  tag: number;
  body: Buffer;
  /** Offset just after this element. */
  end: number;
}

function readTlv(buf: Buffer, at: number): Tlv | undefined {
  if (at + 2 > buf.length) return undefined;
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || p + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[p + i]!;
    p += n;
  }
  if (p + len > buf.length) return undefined;
  return { tag, body: buf.subarray(p, p + len), end: p + len };
}

/** The children of a constructed element; undefined unless they exactly fill it. */
function children(body: Buffer): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let at = 0; at < body.length; ) {
    const t = readTlv(body, at);
    if (!t) return undefined;
    out.push(t);
    at = t.end;
  }
  return out;
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

/** The private scalar of an EC PKCS #8 key (RFC 5915 ECPrivateKey inside PrivateKeyInfo). */
function ecPrivateScalar(pkcs8: Buffer): Buffer {
  const top = readTlv(pkcs8, 0);
  const [, , wrapped] = (top && children(top.body)) ?? [];
  const inner = wrapped && readTlv(wrapped.body, 0);
  const [, d] = (inner && children(inner.body)) ?? [];
  if (!d || d.tag !== 0x04) throw new Error('not an EC PKCS #8 private key');
  return d.body;
}

/** Prepared ECDH objects by the opened secret: the vault returns the same Buffer for a material each time. */
const prepared = new WeakMap<Buffer, ECDH>();

/**
 * The ECDH shared secret of our PKCS #8 key on `curve` and the peer's SPKI, or undefined when the peer key
 * is not an EC key on that curve or not a valid point on it.
 */
export function ecdhSharedSecret(privatePkcs8: Buffer, curve: string, peerSpki: Buffer): Buffer | undefined {
  const peer = parseEcSpki(peerSpki);
  if (!peer || peer.curve !== curve) return undefined;
  let ecdh = prepared.get(privatePkcs8);
  if (!ecdh) {
    ecdh = createECDH(curve);
    ecdh.setPrivateKey(ecPrivateScalar(privatePkcs8)); // derives the public point: one scalar multiplication
    prepared.set(privatePkcs8, ecdh);
  }
  try {
    return ecdh.computeSecret(peer.point);
  } catch {
    return undefined; // ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY: not on the curve
  }
}
