// GetParametersForImport — https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html
// Checks: resolve key (ID or ARN, same account) → key state → authorize → origin EXTERNAL → wrapping algorithm
// and key spec → new wrapping key pair (outside the transaction: RSA_4096 takes seconds) → sealed token. A
// multi-Region replica gets parameters of its own: "You need a different public key and import token for each
// replica key" (DG multi-region-keys-import).
import type { Handler } from '../context.ts';
import { algorithmFitsSpec, generateWrappingKey } from '../crypto/import-unwrapping.ts';
import { KmsError } from '../errors.ts';
import { IMPORT_PARAMETERS_LIFETIME_MS, sealImportToken } from '../keys/import-token.ts';
import { epochSeconds } from '../keys/key-metadata.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

/** AWS's answer for import operations on keys whose material KMS made (LS-snap test_get_parameters_for_import). */
export const originNotExternal = (arn: string, origin: string) =>
  new KmsError('UnsupportedOperationException', `${arn} origin is ${origin} which is not valid for this operation.`);

export const getParametersForImport: Handler = async (input, ctx) => {
  const algorithm = input.WrappingAlgorithm as string;
  const wrappingKeySpec = input.WrappingKeySpec as string;
  const { key, arn } = await withKey(ctx, 'GetParametersForImport', input.KeyId, KEY_ONLY, async (_tx, resolved) => resolved);
  if (key.origin !== 'EXTERNAL') throw originNotExternal(arn, key.origin);
  // "As of October 10, 2023, KMS does not support the RSAES_PKCS1_V1_5 wrapping algorithm" (API reference);
  // AWS's error text is not recorded: Trent's names the replacement.
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    throw new KmsError(
      'ValidationException',
      'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.',
    );
  }
  // SM2 wrapping keys go only with SM2PKE and RSA ones only with the RSA algorithms. AWS offers SM2 in China
  // Regions only; Trent accepts SM2 everywhere, as its CreateKey accepts SM2 keys everywhere.
  if (!algorithmFitsSpec(algorithm, wrappingKeySpec)) {
    throw new KmsError(
      'ValidationException',
      `Wrapping algorithm ${algorithm} is not compatible with wrapping key spec ${wrappingKeySpec}.`,
    );
  }
  const wrappingKey = await generateWrappingKey(wrappingKeySpec);
  const validTo = ctx.clock.now() + IMPORT_PARAMETERS_LIFETIME_MS;
  const token = sealImportToken(ctx.vault, {
    account: key.account,
    region: key.region,
    keyId: key.keyId,
    wrappingAlgorithm: algorithm,
    wrappingKeySpec,
    validTo,
    privateKey: wrappingKey.privateKey,
  });
  return { KeyId: arn, ImportToken: token, PublicKey: wrappingKey.publicKey, ParametersValidTo: epochSeconds(validTo) };
};
