// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh key pair of KeyPairSpec whose PKCS #8
// private key is encrypted under a symmetric encryption KMS key, as Encrypt would, so Decrypt returns it.
// Checks: resolve key → state → authorize → usage ENCRYPT_DECRYPT and a SYMMETRIC_DEFAULT key → Recipient → DryRun.
import type { Ctx } from '../context.ts';
import { generateKeyMaterial } from '../crypto/key-generation.ts';
import { assertCanEncrypt } from '../keys/encrypting-key.ts';
import { openMaterial, requireCurrentMaterial } from '../keys/key-material.ts';
import { encryptSymmetric, type EncryptionContext } from '../keys/symmetric-encryption.ts';
import { refuseRecipient } from './decrypt-recipient.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

type Operation = 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext';

export async function generateDataKeyPair(input: Record<string, unknown>, ctx: Ctx, operation: Operation): Promise<Record<string, unknown>> {
  const keyPairSpec = input.KeyPairSpec as string;
  const { key, arn, material } = await withKey(ctx, operation, input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    // Only a symmetric encryption key may protect the private key (API Reference: "You cannot specify an
    // asymmetric KMS key"); an RSA/SM2 ENCRYPT_DECRYPT key fails the SYMMETRIC_DEFAULT algorithm check.
    assertCanEncrypt(key, arn, operation, 'SYMMETRIC_DEFAULT');
    refuseRecipient(input);
    stopIfDryRun(input);
    const material = await requireCurrentMaterial(tx, key, arn);
    return { key, arn, material };
  });
  // Generated outside the transaction: transactions never interleave, and an RSA_4096 pair takes seconds.
  const pair = await generateKeyMaterial(keyPairSpec);
  const blob = encryptSymmetric(openMaterial(ctx.vault, material), material, pair.secret, input.EncryptionContext as EncryptionContext);
  recordUse(ctx, key, operation);
  return {
    PrivateKeyCiphertextBlob: blob,
    ...(operation === 'GenerateDataKeyPair' ? { PrivateKeyPlaintext: pair.secret } : {}),
    PublicKey: pair.publicKey,
    KeyId: arn,
    KeyPairSpec: keyPairSpec,
    KeyMaterialId: material.materialId,
  };
}
