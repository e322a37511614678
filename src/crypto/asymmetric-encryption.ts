// Asymmetric encryption as AWS KMS does it, so ciphertext made offline with the public key decrypts in Trent
// and the reverse: RSAES_OAEP_SHA_1/SHA_256 give the raw OAEP block (MGF1 with the same hash, empty label),
// exactly what node:crypto publicEncrypt or OpenSSL `pkeyutl -pkeyopt rsa_padding_mode:oaep` produce;
// SM2PKE (GM/T 0003.4) gives C1‖C3‖C2 in the ASN.1 DER SEQUENCE of GM/T 0009
// {x INTEGER, y INTEGER, hash OCTET STRING(32), ciphertext OCTET STRING} (not yet checked against a
// ciphertext from a China-Region AWS key; sm-crypto-v2 with cipherMode 1 and asn1 produces the same form).
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { privateKeyObject, publicKeyObject } from './key-objects.ts';

const OAEP_HASH: Readonly<Record<string, string>> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };
const C1C3C2 = 1;

/** Encrypts `plaintext` under an SPKI DER public key. The caller has checked the algorithm and the size. */
export function asymmetricEncrypt(algorithm: string, spkiDer: Uint8Array, plaintext: Uint8Array): Buffer {
  const oaepHash = OAEP_HASH[algorithm];
  if (oaepHash !== undefined) {
    const key = publicKeyObject(spkiDer);
    return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
  }
  if (algorithm === 'SM2PKE') {
    return Buffer.from(sm2.doEncrypt(Uint8Array.from(plaintext), sm2PublicHex(Buffer.from(spkiDer)), C1C3C2, { asn1: true }), 'hex');
  }
  throw new Error(`no asymmetric encryption for ${algorithm}`);
}

/** The plaintext, or undefined when the ciphertext does not open under this key and algorithm. */
export function asymmetricDecrypt(algorithm: string, pkcs8: Buffer, ciphertext: Uint8Array): Buffer | undefined {
  const oaepHash = OAEP_HASH[algorithm];
  if (oaepHash !== undefined) {
    const key = privateKeyObject(pkcs8);
    try {
      return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ciphertext);
    } catch {
      return undefined;
    }
  }
  if (algorithm === 'SM2PKE') return sm2Decrypt(pkcs8, ciphertext);
  throw new Error(`no asymmetric decryption for ${algorithm}`);
}

function sm2Decrypt(pkcs8: Buffer, ciphertext: Uint8Array): Buffer | undefined {
  const hex = Buffer.from(ciphertext).toString('hex');
  // sm-crypto-v2's DER reader is lenient; insist on a well-formed SEQUENCE so trailing bytes or a
  // truncated blob fail like any other altered ciphertext.
  if (!isSm2CipherDer(Buffer.from(ciphertext))) return undefined;
  try {
    const out = sm2.doDecrypt(hex, sm2PrivateHex(pkcs8), C1C3C2, { output: 'array', asn1: true });
    // doDecrypt answers [] when the SM3 check value C3 does not match; KMS plaintexts are never empty.
    return out.length === 0 ? undefined : Buffer.from(out);
  } catch {
    return undefined;
  }
}

/** 04‖x‖y of an SM2 SPKI (the last 65 bytes: the BIT STRING holds the uncompressed point). */
function sm2PublicHex(spki: Buffer): string {
  return spki.subarray(spki.length - 65).toString('hex');
}

/** The 32-byte private scalar, read from the SEC1 ECPrivateKey inside the PKCS #8 (node 20 aborts the
 *  process when asked to export an SM2 key as SEC1, so the DER is read directly). */
function sm2PrivateHex(pkcs8: Buffer): string {
  // ECPrivateKey ::= SEQUENCE { INTEGER 1, OCTET STRING (32) d, ... }: 02 01 01 04 20 ‖ d.
  const at = pkcs8.indexOf(Buffer.from('0201010420', 'hex'));
  if (at < 0 || at + 37 > pkcs8.length) throw new Error('unexpected SM2 private key encoding');
  return pkcs8.subarray(at + 5, at + 37).toString('hex');
}

/** Whether `der` is exactly SEQUENCE { INTEGER, INTEGER, OCTET STRING(32), OCTET STRING } with nothing after. */
function isSm2CipherDer(der: Buffer): boolean {
  const seq = readTlv(der, 0);
  if (!seq || seq.tag !== 0x30 || seq.end !== der.length) return false;
  let at = seq.start;
  const expected = [0x02, 0x02, 0x04, 0x04];
  for (let i = 0; i < expected.length; i++) {
    const part = readTlv(der, at);
    if (!part || part.tag !== expected[i] || part.end > seq.end) return false;
    if (i === 2 && part.end - part.start !== 32) return false;
    at = part.end;
  }
  return at === seq.end;
}

function readTlv(b: Buffer, at: number): { tag: number; start: number; end: number } | undefined {
  if (at + 2 > b.length) return undefined;
  const tag = b[at]!;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || start + n > b.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | b[start + i]!;
    start += n;
  }
  const end = start + len;
  return end <= b.length ? { tag, start, end } : undefined;
}
