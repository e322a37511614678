// Verify — https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html
// Same checks as Sign, then verification with the public key of the current material. A signature that
// does not verify (or is malformed) is KMSInvalidSignatureException with an empty message (LS-snap);
// success answers SignatureValid: true.
import type { Handler } from '../context.ts';
import { verify as verifySignature, type MessageType } from '../crypto/signing.ts';
import { KmsError } from '../errors.ts';
import { publicKeyOf, requireCurrentMaterial } from '../keys/key-material.ts';
import { assertKeyUsage } from '../keys/key-usage.ts';
import { assertSigningRequest } from '../keys/signing-rules.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const verify: Handler = (input, ctx) =>
  withKey(ctx, 'Verify', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    assertKeyUsage(key, arn, 'SIGN_VERIFY', 'Verify');
    const algorithm = input.SigningAlgorithm as string;
    const messageType = ((input.MessageType as string | undefined) ?? 'RAW') as MessageType;
    const message = input.Message as Buffer;
    assertSigningRequest(key.keySpec, algorithm, messageType, message);
    stopIfDryRun(input);
    const material = await requireCurrentMaterial(tx, key, arn);
    if (!verifySignature(key.keySpec, algorithm, messageType, publicKeyOf(material), message, input.Signature as Buffer)) {
      throw new KmsError('KMSInvalidSignatureException', '');
    }
    recordUse(ctx, key, 'Verify');
    return { KeyId: arn, SignatureValid: true, SigningAlgorithm: algorithm };
  });
