// The client side of importing key material, done as a user would with node:crypto: get parameters, wrap the
// material offline under the returned public key, and import it.
import {
  CreateKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  type AlgorithmSpec,
  type ImportKeyMaterialCommandInput,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

/** Wraps `material` as GetParametersForImport's WrappingAlgorithm says, under its PublicKey (SPKI DER). */
export function wrapMaterial(algorithm: string, publicKeyDer: Uint8Array, material: Buffer): Buffer {
  if (algorithm === 'SM2PKE') {
    const point = Buffer.from(publicKeyDer).subarray(publicKeyDer.length - 65).toString('hex');
    return Buffer.from(sm2.doEncrypt(Uint8Array.from(material), point, 1, { asn1: true }), 'hex');
  }
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = (data: Buffer) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith('RSAES_OAEP')) return oaep(material);
  // RSA_AES_KEY_WRAP: an ephemeral AES-256 key, OAEP-wrapped, followed by the material under AES-KWP (RFC 5649).
  const kek = randomBytes(32);
  const cipher = createCipheriv('id-aes256-wrap-pad', kek, Buffer.from('A65959A6', 'hex'));
  return Buffer.concat([oaep(kek), cipher.update(material), cipher.final()]);
}

export async function createExternalKey(kms: KMSClient, KeySpec: KeySpec = 'SYMMETRIC_DEFAULT', KeyUsage?: KeyUsageType) {
  return (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec, ...(KeyUsage ? { KeyUsage } : {}) }))).KeyMetadata!;
}

export async function getParameters(
  kms: KMSClient,
  KeyId: string,
  WrappingAlgorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256',
  WrappingKeySpec: WrappingKeySpec = 'RSA_2048',
) {
  return kms.send(new GetParametersForImportCommand({ KeyId, WrappingAlgorithm, WrappingKeySpec }));
}

/** GetParametersForImport, wrap, ImportKeyMaterial: the whole user procedure. */
export async function importMaterial(
  kms: KMSClient,
  KeyId: string,
  material: Buffer,
  opts: { algorithm?: AlgorithmSpec; spec?: WrappingKeySpec; extra?: Partial<ImportKeyMaterialCommandInput> } = {},
) {
  const algorithm = opts.algorithm ?? 'RSAES_OAEP_SHA_256';
  const params = await getParameters(kms, KeyId, algorithm, opts.spec ?? 'RSA_2048');
  return kms.send(
    new ImportKeyMaterialCommand({
      KeyId,
      ImportToken: params.ImportToken!,
      EncryptedKeyMaterial: wrapMaterial(algorithm, params.PublicKey!, material),
      ...opts.extra,
    }),
  );
}
