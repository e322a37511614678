// Asymmetric encryption as AWS KMS does it, so ciphertext made offline with the public key decrypts in Trent
// and the reverse: RSAES_OAEP_SHA_1/SHA_256 give the raw OAEP block (MGF1 with the same hash, empty label),
// exactly what node:crypto publicEncrypt or OpenSSL `pkeyutl -pkeyopt rsa_padding_mode:oaep` produce;
// SM2PKE gives C1‖C3‖C2 in GM/T 0009 ASN.1 (sm2-cipher.ts; not yet checked against a ciphertext from a
// China-Region AWS key).
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { privateKeyObject, publicKeyObject } from './key-objects.ts';
import { sm2Decrypt, sm2Encrypt } from './sm2-cipher.ts';

const OAEP_HASH: Readonly<Record<string, string>> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };

/** Encrypts `plaintext` under an SPKI DER public key. The caller has checked the algorithm and the size. */
export async function asymmetricEncrypt(algorithm: string, spkiDer: Uint8Array, plaintext: Uint8Array): Promise<Buffer> {
  const oaepHash = OAEP_HASH[algorithm];
  if (oaepHash !== undefined) {
    const key = publicKeyObject(spkiDer);
    return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
  }
  if (algorithm === 'SM2PKE') return sm2Encrypt(Buffer.from(spkiDer), plaintext);
  throw new Error(`no asymmetric encryption for ${algorithm}`);
}

/** The plaintext, or undefined when the ciphertext does not open under this key and algorithm. */
export async function asymmetricDecrypt(algorithm: string, pkcs8: Buffer, ciphertext: Uint8Array): Promise<Buffer | undefined> {
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
