// MalformedPolicyDocumentException texts, per grammar. Key policies use KMS's wording where it is on
// record and KMS-style sentences otherwise; identity policies use IAM's recorded wording (IAM answers most
// structural faults with one generic sentence). Sources are listed next to each text.
import type { PolicyKind } from './types.ts';

export interface PolicyMessages {
  notJson: string;
  notObject: string;
  badVersion: string;
  unknownElement(name: string): string;
  badId: string;
  noStatement: string;
  statementNotObject: string;
  unknownStatementElement(name: string): string;
  badEffect(effect: unknown): string;
  both(a: string, b: string): string;
  badElement(name: string): string;
  duplicateSid: string;
  noPrincipal: string;
  invalidPrincipals: string;
  principalNotAllowed: string;
  actionVendor: string;
  actionColon: string;
  badVendor(vendor: string): string;
  noActions: string;
  noResources: string;
  resourceFormat(resource: string): string;
  badCondition: string;
  badOperator(op: string): string;
  badConditionValue(op: string, value: string): string;
  keysNotPermitted: string;
}

// Texts IAM returns, as recorded against the real service by moto's tests/test_iam/test_iam_policies.py
// (getmoto/moto) and in hashicorp/terraform-provider-aws#10419.
const IAM_SYNTAX = 'Syntax errors in policy.';
const IAM_LEGACY = 'The policy failed legacy parsing';
const ACTION_VENDOR = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
const ACTION_COLON = 'Actions/Condition can contain only one colon.';
const DUPLICATE_SID = 'Statement IDs (SID) in a single policy must be unique.';

const KEY: PolicyMessages = {
  // Chosen by the project before policies were parsed (pinned in the create-key and key-policy tests).
  notJson: 'The new key policy is not valid JSON.',
  notObject: 'The new key policy must be a JSON object.',
  // Chosen, in KMS's "Policy contains a statement with ..." style.
  badVersion: 'Policy contains an unsupported Version. Use 2012-10-17 or 2008-10-17.',
  unknownElement: (name) => `Policy contains an unsupported element: ${name}.`,
  badId: 'Policy contains an invalid Id element.',
  noStatement: 'Policy contains no statements.',
  statementNotObject: 'Policy contains a statement that is not a JSON object.',
  unknownStatementElement: (name) => `Policy contains a statement with an unsupported element: ${name}.`,
  badEffect: () => 'Policy contains a statement with a missing or invalid Effect.',
  both: (a, b) => `Policy contains a statement with both ${a} and ${b}.`,
  badElement: (name) => `Policy contains a statement with an invalid ${name} element.`,
  duplicateSid: DUPLICATE_SID,
  // terraform-aws-modules/terraform-aws-eks#2163 (CreateKey with {"AWS": []}).
  noPrincipal: 'Policy contains a statement with no principal.',
  // repost.aws/knowledge-center/kms-policy-error-invalid-principals.
  invalidPrincipals: 'Policy contains a statement with one or more invalid principals.',
  principalNotAllowed: 'Policy contains a statement with one or more invalid principals.',
  actionVendor: ACTION_VENDOR,
  actionColon: ACTION_COLON,
  badVendor: (vendor) => `Vendor ${vendor} is not valid`,
  // Unused for key policies: KMS accepts statements without Action or Resource; they have no effect
  // (PutKeyPolicy API reference, Policy parameter).
  noActions: 'Policy contains a statement with no Action.',
  noResources: 'Policy contains a statement with no Resource.',
  resourceFormat: (r) => `Resource ${r} must be in ARN format or "*".`,
  badCondition: 'Policy contains a statement with an invalid Condition element.',
  badOperator: (op) => `Policy contains a statement with an unsupported condition operator: ${op}.`,
  badConditionValue: (op, value) => `Policy contains a statement with an invalid value for condition operator ${op}: ${value}.`,
  // A PutKeyPolicy failure quoted in awsdocs/aws-kms-developer-guide#47: the list is fixed text.
  keysNotPermitted: 'These condition keys are not permitted in a key policy: aws:ResourceTag, kms:ResourceTag, kms:ResourceAliases',
};

const IDENTITY: PolicyMessages = {
  notJson: IAM_SYNTAX,
  notObject: IAM_SYNTAX,
  badVersion: IAM_SYNTAX,
  unknownElement: () => IAM_SYNTAX,
  badId: IAM_SYNTAX,
  noStatement: IAM_SYNTAX,
  statementNotObject: IAM_SYNTAX,
  unknownStatementElement: () => IAM_SYNTAX,
  // IAM: "invalid" is a syntax error, a wrongly cased "denY" fails legacy parsing.
  badEffect: (effect) =>
    typeof effect === 'string' && /^(allow|deny)$/i.test(effect) ? IAM_LEGACY : IAM_SYNTAX,
  both: () => IAM_SYNTAX,
  badElement: () => IAM_SYNTAX,
  duplicateSid: DUPLICATE_SID,
  noPrincipal: IAM_SYNTAX,
  invalidPrincipals: IAM_SYNTAX,
  principalNotAllowed: 'Policy document should not specify a principal.',
  actionVendor: ACTION_VENDOR,
  actionColon: ACTION_COLON,
  badVendor: (vendor) => `Vendor ${vendor} is not valid`,
  noActions: 'Policy statement must contain actions.',
  noResources: 'Policy statement must contain resources.',
  resourceFormat: (r) => `Resource ${r} must be in ARN format or "*".`,
  badCondition: IAM_SYNTAX,
  badOperator: () => IAM_SYNTAX,
  badConditionValue: () => IAM_LEGACY,
  keysNotPermitted: IAM_SYNTAX,
};

export function messagesFor(kind: PolicyKind): PolicyMessages {
  return kind === 'key' ? KEY : IDENTITY;
}
