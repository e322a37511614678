// RSA signatures over a caller-supplied digest (MessageType DIGEST), which node:crypto cannot do
// directly: PKCS #1 v1.5 as DigestInfo‖H through privateEncrypt, and EMSA-PSS (RFC 8017 §9.1, MGF1 with
// the same hash, salt length = hash length as KMS uses) through the raw RSA primitive.
import { constants, createHash, privateEncrypt, publicDecrypt, publicEncrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

export type RsaHash = 'sha256' | 'sha384' | 'sha512';

// DER prefix of DigestInfo { AlgorithmIdentifier { hashOid, NULL }, OCTET STRING (hLen) } (RFC 8017 §9.2 note 1).
const DIGEST_INFO: Record<RsaHash, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const modulusBits = (key: KeyObject): number => key.asymmetricKeyDetails!.modulusLength!;

export function signPkcs1Digest(hash: RsaHash, privateKey: KeyObject, digest: Buffer): Buffer {
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[hash], digest]));
}

export function verifyPkcs1Digest(hash: RsaHash, publicKey: KeyObject, digest: Buffer, signature: Buffer): boolean {
  if (signature.length !== Math.ceil(modulusBits(publicKey) / 8)) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  const expected = Buffer.concat([DIGEST_INFO[hash], digest]);
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}

function mgf1(hash: RsaHash, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let produced = 0;
  for (let counter = 0; produced < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    produced += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

const pssHashOfSalt = (hash: RsaHash, mHash: Buffer, salt: Buffer): Buffer =>
  createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();

export function signPssDigest(hash: RsaHash, privateKey: KeyObject, mHash: Buffer): Buffer {
  const emBits = modulusBits(privateKey) - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  const salt = randomBytes(hLen);
  const h = pssHashOfSalt(hash, mHash, salt);
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.of(0x01), salt]);
  const maskedDb = xor(db, mgf1(hash, h, emLen - hLen - 1));
  maskedDb[0]! &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([maskedDb, h, Buffer.of(0xbc)]);
  const k = Math.ceil(modulusBits(privateKey) / 8);
  const block = Buffer.concat([Buffer.alloc(k - emLen), em]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block);
}

export function verifyPssDigest(hash: RsaHash, publicKey: KeyObject, mHash: Buffer, signature: Buffer): boolean {
  const bits = modulusBits(publicKey);
  const k = Math.ceil(bits / 8);
  if (signature.length !== k) return false;
  let m: Buffer;
  try {
    m = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false; // signature ≥ modulus
  }
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  if (m.subarray(0, k - emLen).some((b) => b !== 0)) return false;
  const em = m.subarray(k - emLen);
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const topMask = 0xff >> (8 * emLen - emBits);
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if ((maskedDb[0]! & ~topMask) !== 0) return false;
  const db = xor(maskedDb, mgf1(hash, h, emLen - hLen - 1));
  db[0]! &= topMask;
  const psLen = emLen - 2 * hLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - hLen);
  return timingSafeEqual(pssHashOfSalt(hash, mHash, salt), h);
}
