// Registry: every operation of the official model → its handler. An operation not built yet answers
// UnsupportedOperationException naming it; a test asserts the registry and the model agree.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { OPERATION_NAMES, type OperationName } from '../model/kms.generated.ts';
import { cancelKeyDeletion } from './cancel-key-deletion.ts';
import { createAlias } from './create-alias.ts';
import { createKey } from './create-key.ts';
import { deleteAlias } from './delete-alias.ts';
import { describeKey } from './describe-key.ts';
import { disableKey } from './disable-key.ts';
import { enableKey } from './enable-key.ts';
import { getKeyPolicy } from './get-key-policy.ts';
import { listAliases } from './list-aliases.ts';
import { listKeyPolicies } from './list-key-policies.ts';
import { listKeys } from './list-keys.ts';
import { listResourceTags } from './list-resource-tags.ts';
import { putKeyPolicy } from './put-key-policy.ts';
import { scheduleKeyDeletion } from './schedule-key-deletion.ts';
import { tagResource } from './tag-resource.ts';
import { untagResource } from './untag-resource.ts';
import { updateAlias } from './update-alias.ts';
import { updateKeyDescription } from './update-key-description.ts';

export const IMPLEMENTED: Partial<Record<OperationName, Handler>> = {
  CancelKeyDeletion: cancelKeyDeletion,
  CreateAlias: createAlias,
  CreateKey: createKey,
  DeleteAlias: deleteAlias,
  DescribeKey: describeKey,
  DisableKey: disableKey,
  EnableKey: enableKey,
  GetKeyPolicy: getKeyPolicy,
  ListAliases: listAliases,
  ListKeyPolicies: listKeyPolicies,
  ListKeys: listKeys,
  ListResourceTags: listResourceTags,
  PutKeyPolicy: putKeyPolicy,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateAlias: updateAlias,
  UpdateKeyDescription: updateKeyDescription,
};

const notYet =
  (op: string): Handler =>
  async () => {
    throw new KmsError('UnsupportedOperationException', `${op} is not supported by Trent yet.`);
  };

export const OPERATIONS: ReadonlyMap<string, Handler> = new Map(
  OPERATION_NAMES.map((op) => [op, IMPLEMENTED[op] ?? notYet(op)] as const),
);
