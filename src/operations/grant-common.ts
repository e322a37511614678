// What the five grant operations share: how they name a key (key ID or key ARN, other accounts allowed,
// aliases refused), grant-ID checks with their errors, and the GrantListEntry output shape.
import { KmsError } from '../errors.ts';
import { keyArn } from '../keys/key-id.ts';
import { epochSeconds } from '../keys/key-metadata.ts';
import type { ResolveOptions } from '../keys/resolve-key.ts';
import type { GrantRecord } from '../store/store.ts';

/**
 * "Specify the key ID or key ARN … To specify a KMS key in a different account, you must use the key ARN."
 * An alias name is InvalidArnException here ([O] boto/boto#3202), as an alias ARN is everywhere.
 */
export const GRANT_KEY: ResolveOptions = { allowAlias: false, allowCrossAccount: true, aliasNameIsInvalidArn: true };

/** GrantIds are 64 lower-case hex characters (API_RetireGrant GrantId example). */
export const isWellFormedGrantId = (id: string): boolean => /^[0-9a-f]{64}$/.test(id);

// AWS's texts for these two are unrecorded: Trent's wording, after "Invalid keyId '…'" and
// "Key '…' does not exist". NotFoundException for an unknown grant is AWS's type (getmoto/moto#5411).
export const invalidGrantId = (id: string) => new KmsError('InvalidGrantIdException', `Invalid grantId '${id}'`);
export const grantNotFound = (id: string) => new KmsError('NotFoundException', `Grant '${id}' does not exist`);

/** Throws InvalidGrantIdException unless `id` can be a grant ID. */
export function checkGrantId(id: string): void {
  if (!isWellFormedGrantId(id)) throw invalidGrantId(id);
}

/** ListGrants and ListRetirableGrants: Limit 1..100 (the model allows 1000; more returns at most 100), default 50. */
export const grantLimit = (limit: unknown): number => Math.min((limit as number | undefined) ?? 50, 100);

/** One GrantListEntry; Name, RetiringPrincipal and Constraints only when the grant has them. */
export function grantListEntry(g: GrantRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { KeyId: keyArn(g.region, g.account, g.keyId), GrantId: g.grantId };
  if (g.name !== undefined) out.Name = g.name;
  out.CreationDate = epochSeconds(g.createdAt);
  out.GranteePrincipal = g.granteePrincipal;
  if (g.retiringPrincipal !== undefined) out.RetiringPrincipal = g.retiringPrincipal;
  out.IssuingAccount = g.issuingAccount;
  out.Operations = [...g.operations];
  if (g.constraints?.encryptionContextSubset !== undefined) {
    out.Constraints = { EncryptionContextSubset: { ...g.constraints.encryptionContextSubset } };
  } else if (g.constraints?.encryptionContextEquals !== undefined) {
    out.Constraints = { EncryptionContextEquals: { ...g.constraints.encryptionContextEquals } };
  }
  return out;
}
