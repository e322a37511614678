// Verify — https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html
// Same checks as Sign, then verification with the public key of the current material. A signature that
// does not verify (or is malformed) is KMSInvalidSignatureException with an empty message (LS-snap);
// success answers SignatureValid: true.
import type { Handler } from '../context.ts';
import { verify as verifySignature } from '../crypto/signing.ts';
import { KmsError } from '../errors.ts';
import { publicKeyOf } from '../keys/key-material.ts';
import { recordUse } from './record-use.ts';
import { signingInput } from './signing-checks.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const verify: Handler = (input, ctx) =>
  withKey(ctx, 'Verify', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    const { algorithm, messageType, message, material } = await signingInput(tx, input, key, arn, 'Verify');
    if (!(await verifySignature(key.keySpec, algorithm, messageType, publicKeyOf(material), message, input.Signature as Buffer))) {
      throw new KmsError('KMSInvalidSignatureException', '');
    }
    recordUse(ctx, key, 'Verify');
    return { KeyId: arn, SignatureValid: true, SigningAlgorithm: algorithm };
  });
