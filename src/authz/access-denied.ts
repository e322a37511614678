// AccessDeniedException in AWS's current wording (spec §2.5): which kind of policy failed to allow the
// action, or which kind denied it explicitly.
import type { AuthzRequest, Caller } from '../context.ts';
import { KmsError } from '../errors.ts';

export type DenialReason = 'resource' | 'identity' | 'resource-deny' | 'identity-deny';

const REASONS: Record<DenialReason, (action: string) => string> = {
  resource: (a) => `because no resource-based policy allows the ${a} action`,
  identity: (a) => `because no identity-based policy allows the ${a} action`,
  'resource-deny': () => 'with an explicit deny in a resource-based policy',
  'identity-deny': () => 'with an explicit deny in an identity-based policy',
};

export function accessDenied(caller: Caller, req: Pick<AuthzRequest, 'action' | 'resource' | 'namedInDenial'>, reason: DenialReason): KmsError {
  const on = req.namedInDenial === false ? '' : ` on resource: ${req.resource}`;
  return new KmsError(
    'AccessDeniedException',
    `User: ${caller.arn} is not authorized to perform: ${req.action}${on} ${REASONS[reason](req.action)}`,
  );
}
