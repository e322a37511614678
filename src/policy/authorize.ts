// Authorization seam. Until key policies, IAM policies and grants are evaluated, the rule is the one
// AWS's default key policy gives: a caller may act on the resources of its own account only.
import type { AuthzRequest, Caller } from '../context.ts';
import { KmsError } from '../errors.ts';

export function accessDenied(caller: Caller, action: string, resource: string): KmsError {
  return new KmsError(
    'AccessDeniedException',
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
  );
}

export function authorizeSameAccount(caller: Caller, req: AuthzRequest): void {
  if (req.resourceAccount !== undefined && req.resourceAccount !== caller.accountId) {
    throw accessDenied(caller, req.action, req.resource);
  }
}
