// The key policy AWS attaches when CreateKey or ReplicateKey gets no Policy: exactly the document AWS
// returns (spec §2.3, recorded from ReplicateKey's ReplicaPolicy), letting IAM policies of the account apply.
export const defaultKeyPolicy = (account: string): string =>
  `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${account}:root"},"Action":"kms:*","Resource":"*"}]}`;

export const DEFAULT_POLICY_NAME = 'default';
