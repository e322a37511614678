// GetPublicKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html
// The SPKI DER stored with the key's material, and what it may be used for: exactly one algorithm list,
// the one of the key's usage. Symmetric and HMAC keys have no public key.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { publicKeyOf, requireCurrentMaterial } from '../keys/key-material.ts';
import { algorithmsFor, isHmac, isSymmetricEncryption } from '../keys/key-spec.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const getPublicKey: Handler = (input, ctx) =>
  withKey(ctx, 'GetPublicKey', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    if (isSymmetricEncryption(key.keySpec) || isHmac(key.keySpec)) {
      // AWS's exact text was not found in any recording; this follows the shape of its recorded
      // "<arn> origin is AWS_KMS which is not valid for this operation." (UnsupportedOperationException).
      throw new KmsError('UnsupportedOperationException', `${arn} key spec ${key.keySpec} is not supported for this operation.`);
    }
    const material = await requireCurrentMaterial(tx, key, arn);
    const algorithms = algorithmsFor(key.keySpec, key.keyUsage);
    return {
      KeyId: arn,
      PublicKey: publicKeyOf(material),
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage,
      ...(algorithms ? { [algorithms.field]: [...algorithms.algorithms] } : {}),
    };
  });
