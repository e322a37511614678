// SM2DSA (GB/T 32918.2) with SM3, which node:crypto lacks (its 'sm3' on an SM2 key is plain ECDSA
// without Z). RAW signs SM3(Z_A ‖ M) with KMS's default distinguishing ID 1234567812345678 (API_Verify,
// "Offline verification with SM2 key pairs"); DIGEST takes that 32-byte e from the caller.
import { ecPrivateScalar, ecPublicPoint } from './ec-keys.ts';
import { smCrypto } from './sm2-cipher.ts';

export const SM2_DEFAULT_ID = '1234567812345678';

const publicHex = (spki: Buffer): string => ecPublicPoint(spki, 65).toString('hex');

export async function signSm2(pkcs8: Buffer, spki: Buffer, message: Buffer, isDigest: boolean): Promise<Buffer> {
  const { sm2 } = await smCrypto();
  const d = ecPrivateScalar(pkcs8).toString('hex');
  const hex = sm2.doSignature(new Uint8Array(message), d, {
    der: true,
    hash: !isDigest,
    publicKey: publicHex(spki),
    userId: SM2_DEFAULT_ID,
  });
  return Buffer.from(hex, 'hex');
}

export async function verifySm2(spki: Buffer, message: Buffer, signature: Buffer, isDigest: boolean): Promise<boolean> {
  const { sm2 } = await smCrypto();
  try {
    return sm2.doVerifySignature(new Uint8Array(message), signature.toString('hex'), publicHex(spki), {
      der: true,
      hash: !isDigest,
      userId: SM2_DEFAULT_ID,
    });
  } catch {
    return false;
  }
}
