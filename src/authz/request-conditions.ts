// The kms: and aws: condition keys a request itself carries, read from the operation's validated input
// (DG conditions-kms.md / conditions-aws.md). Key-level and principal keys are added by condition-context.ts.

/** Condition key (lower case) → its values as strings. */
export type ConditionValues = Map<string, readonly string[]>;

/** Input members whose value is the condition key's value, whatever the operation. */
const FROM_MEMBER: Readonly<Record<string, string>> = {
  SigningAlgorithm: 'kms:signingalgorithm',
  MacAlgorithm: 'kms:macalgorithm',
  KeyAgreementAlgorithm: 'kms:keyagreementalgorithm',
  KeyPairSpec: 'kms:datakeypairspec',
  BypassPolicyLockoutSafetyCheck: 'kms:bypasspolicylockoutsafetycheck',
  RotationPeriodInDays: 'kms:rotationperiodindays',
  PendingWindowInDays: 'kms:schedulekeydeletionpendingwindowindays',
  WrappingAlgorithm: 'kms:wrappingalgorithm',
  WrappingKeySpec: 'kms:wrappingkeyspec',
  ExpirationModel: 'kms:expirationmodel',
  ReplicaRegion: 'kms:replicaregion',
  PrimaryRegion: 'kms:primaryregion',
  GranteePrincipal: 'kms:granteeprincipal',
  RetiringPrincipal: 'kms:retiringprincipal',
};

/** Operations whose request has an encryption algorithm, SYMMETRIC_DEFAULT when the input omits it. */
const ENCRYPTION_ALGORITHM_OPS = new Set([
  'Encrypt',
  'Decrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
]);

/** Sign and Verify: MessageType defaults to RAW. */
const MESSAGE_TYPE_OPS = new Set(['Sign', 'Verify']);

/** Operations that manage grants; AWS services never call them here, so kms:GrantIsForAWSResource is false. */
const GRANT_OPS = new Set(['CreateGrant', 'ListGrants', 'RevokeGrant']);

export function toConditionString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return undefined;
}

function addEncryptionContext(out: ConditionValues, ec: unknown): void {
  if (ec === null || typeof ec !== 'object') return;
  const pairs = Object.entries(ec as Record<string, string>);
  // kms:EncryptionContextKeys is multi-valued; an empty context leaves both keys absent (DG conditions-kms).
  if (pairs.length === 0) return;
  out.set('kms:encryptioncontextkeys', pairs.map(([k]) => k));
  for (const [k, v] of pairs) out.set(`kms:encryptioncontext:${k.toLowerCase()}`, [v]);
}

function addRequestTags(out: ConditionValues, tags: unknown): void {
  if (!Array.isArray(tags)) return;
  const keys: string[] = [];
  for (const t of tags as { TagKey: string; TagValue: string }[]) {
    keys.push(t.TagKey);
    out.set(`aws:requesttag/${t.TagKey.toLowerCase()}`, [t.TagValue]);
  }
  out.set('aws:tagkeys', keys);
}

/**
 * The condition keys of one request for one action. ReEncrypt is authorized twice: kms:ReEncryptFrom
 * sees the source side (algorithm and context) and kms:ReEncryptTo the destination side.
 */
export function requestConditions(operation: string, action: string, input: Readonly<Record<string, unknown>>): ConditionValues {
  const out: ConditionValues = new Map();
  for (const [member, key] of Object.entries(FROM_MEMBER)) {
    const v = toConditionString(input[member]);
    if (v !== undefined) out.set(key, [v]);
  }
  if (input.ValidTo instanceof Date) out.set('kms:validto', [String(Math.floor(input.ValidTo.getTime() / 1000))]);
  if (operation === 'ImportKeyMaterial' && input.ExpirationModel === undefined) {
    out.set('kms:expirationmodel', [input.ValidTo === undefined ? 'KEY_MATERIAL_DOES_NOT_EXPIRE' : 'KEY_MATERIAL_EXPIRES']);
  }
  if (ENCRYPTION_ALGORITHM_OPS.has(operation)) {
    out.set('kms:encryptionalgorithm', [toConditionString(input.EncryptionAlgorithm) ?? 'SYMMETRIC_DEFAULT']);
    addEncryptionContext(out, input.EncryptionContext);
  } else if (operation === 'ReEncrypt') {
    const side = action === 'kms:ReEncryptFrom' ? 'Source' : 'Destination';
    out.set('kms:encryptionalgorithm', [toConditionString(input[`${side}EncryptionAlgorithm`]) ?? 'SYMMETRIC_DEFAULT']);
    addEncryptionContext(out, input[`${side}EncryptionContext`]);
  }
  if (MESSAGE_TYPE_OPS.has(operation)) out.set('kms:messagetype', [toConditionString(input.MessageType) ?? 'RAW']);
  if (GRANT_OPS.has(operation)) out.set('kms:grantisforawsresource', ['false']);
  if (operation === 'CreateGrant') {
    if (Array.isArray(input.Operations)) out.set('kms:grantoperations', input.Operations as string[]);
    const c = input.Constraints as Record<string, unknown> | undefined;
    const types = c ? Object.keys(c).filter((k) => k === 'EncryptionContextEquals' || k === 'EncryptionContextSubset') : [];
    if (types.length > 0) out.set('kms:grantconstrainttype', types);
  }
  if (operation === 'CreateKey') {
    out.set('kms:keyspec', [toConditionString(input.KeySpec ?? input.CustomerMasterKeySpec) ?? 'SYMMETRIC_DEFAULT']);
    out.set('kms:keyusage', [toConditionString(input.KeyUsage) ?? 'ENCRYPT_DECRYPT']);
    out.set('kms:keyorigin', [toConditionString(input.Origin) ?? 'AWS_KMS']);
    out.set('kms:multiregion', [String(input.MultiRegion === true)]);
    if (input.MultiRegion === true) out.set('kms:multiregionkeytype', ['PRIMARY']);
  }
  // ReplicateKey's Tags are the replica's: they show on its kms:TagResource check (API ReplicateKey, Tags).
  if (operation === 'CreateKey' || operation === 'TagResource' || (operation === 'ReplicateKey' && action === 'kms:TagResource')) {
    addRequestTags(out, input.Tags);
  }
  if (operation === 'UntagResource' && Array.isArray(input.TagKeys)) out.set('aws:tagkeys', input.TagKeys as string[]);
  return out;
}

/** The encryption context a grant constraint is checked against, for this action of this request. */
export function requestEncryptionContext(operation: string, action: string, input: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> | undefined {
  if (operation === 'ReEncrypt') {
    return input[action === 'kms:ReEncryptFrom' ? 'SourceEncryptionContext' : 'DestinationEncryptionContext'] as Record<string, string> | undefined;
  }
  return input.EncryptionContext as Record<string, string> | undefined;
}
