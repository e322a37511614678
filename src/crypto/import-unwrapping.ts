// Wrapping keys for ImportKeyMaterial and the unwrapping of material sent under them: RSAES_OAEP_* wrap the
// material directly; RSA_AES_KEY_WRAP_* (PKCS #11 CKM_RSA_AES_KEY_WRAP) OAEP-wrap an ephemeral AES key and
// wrap the material under it with AES key wrap with padding (RFC 5649); SM2PKE is SM2 encryption (C1C3C2, ASN.1).
import { constants, createDecipheriv, createPrivateKey, generateKeyPair, privateDecrypt, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { sm2Decrypt } from './sm2-cipher.ts';

const generateKeyPairAsync = promisify(generateKeyPair) as unknown as (
  type: string,
  options: Record<string, unknown>,
) => Promise<{ publicKey: KeyObject; privateKey: KeyObject }>;

const RSA_BITS: Record<string, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
/** RFC 5649's alternative initial value, which node's `id-aes*-wrap-pad` ciphers take as the IV. */
const KWP_IV = Buffer.from('A65959A6', 'hex');

export interface WrappingKey {
  /** SubjectPublicKeyInfo DER: GetParametersForImport's PublicKey. */
  publicKey: Buffer;
  /** PKCS #8 DER, carried inside the sealed import token. */
  privateKey: Buffer;
}

/** Generates a wrapping key pair of `wrappingKeySpec` (RSA_2048/3072/4096 or SM2); RSA_4096 takes seconds. */
export async function generateWrappingKey(wrappingKeySpec: string): Promise<WrappingKey> {
  const bits = RSA_BITS[wrappingKeySpec];
  const pair =
    bits !== undefined
      ? await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 })
      : wrappingKeySpec === 'SM2'
        ? await generateKeyPairAsync('ec', { namedCurve: 'SM2' })
        : undefined;
  if (!pair) throw new Error(`no wrapping key spec ${wrappingKeySpec}`);
  return {
    publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }),
    privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

/** Whether `algorithm` can be used with a wrapping key of `wrappingKeySpec`. */
export const algorithmFitsSpec = (algorithm: string, wrappingKeySpec: string): boolean =>
  (algorithm === 'SM2PKE') === (wrappingKeySpec === 'SM2');

/** The key material inside `wrapped`, or undefined when it does not unwrap under this key and algorithm. */
export async function unwrapKeyMaterial(algorithm: string, privateKeyDer: Uint8Array, wrapped: Buffer): Promise<Buffer | undefined> {
  try {
    const key = createPrivateKey({ key: Buffer.from(privateKeyDer), format: 'der', type: 'pkcs8' });
    switch (algorithm) {
      case 'RSAES_OAEP_SHA_1':
        return oaepDecrypt(key, 'sha1', wrapped);
      case 'RSAES_OAEP_SHA_256':
        return oaepDecrypt(key, 'sha256', wrapped);
      case 'RSA_AES_KEY_WRAP_SHA_1':
        return rsaAesUnwrap(key, 'sha1', wrapped);
      case 'RSA_AES_KEY_WRAP_SHA_256':
        return rsaAesUnwrap(key, 'sha256', wrapped);
      case 'SM2PKE':
        return await sm2Decrypt(Buffer.from(privateKeyDer), wrapped);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

const oaepDecrypt = (key: KeyObject, oaepHash: string, data: Buffer): Buffer =>
  privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);

function rsaAesUnwrap(key: KeyObject, oaepHash: string, wrapped: Buffer): Buffer | undefined {
  const modulusBytes = (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (wrapped.length <= modulusBytes) return undefined;
  const aesKey = oaepDecrypt(key, oaepHash, wrapped.subarray(0, modulusBytes));
  // CKM_RSA_AES_KEY_WRAP lets the ephemeral key be any AES size; AWS's examples use AES-256.
  const cipher = { 16: 'id-aes128-wrap-pad', 24: 'id-aes192-wrap-pad', 32: 'id-aes256-wrap-pad' }[aesKey.length];
  if (cipher === undefined) return undefined;
  const decipher = createDecipheriv(cipher, aesKey, KWP_IV);
  return Buffer.concat([decipher.update(wrapped.subarray(modulusBytes)), decipher.final()]);
}
