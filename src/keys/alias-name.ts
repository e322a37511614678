// Alias-name rules beyond the model's pattern: the `alias/` prefix (AWS's exact text, LS-snap
// test_create_alias) and the `alias/aws/` prefix reserved for AWS managed keys.
import { KmsError } from '../errors.ts';

export function checkAliasName(name: string): void {
  if (!name.startsWith('alias/')) {
    throw new KmsError(
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  // moto and local-kms both answer NotAuthorizedException here; AWS's message is unrecorded.
  if (name.startsWith('alias/aws/')) {
    throw new KmsError('NotAuthorizedException', `The alias prefix alias/aws/ is reserved for AWS managed keys: ${name}`);
  }
}

export const aliasNotFound = (arn: string) => new KmsError('NotFoundException', `Alias ${arn} is not found.`);
