// GrantTokens on a request: each must be a token Trent issued (CreateGrant), else
// InvalidGrantTokenException. Trent's grants are consistent at once, so a valid token adds no permission;
// it only has to be well formed. Checked for the operations whose model declares the error.
import type { Markers } from '../keys/marker.ts';
import { parseGrantToken } from '../keys/grant-token.ts';
import { OPERATIONS } from '../model/kms.generated.ts';

const CHECKED: ReadonlySet<string> = new Set(
  Object.entries(OPERATIONS)
    .filter(([, op]) => op.errors.includes('InvalidGrantTokenException'))
    .map(([name]) => name),
);

export function checkGrantTokens(markers: Markers, operation: string, input: Readonly<Record<string, unknown>>): void {
  const tokens = input.GrantTokens;
  if (!Array.isArray(tokens) || !CHECKED.has(operation)) return;
  for (const token of tokens as string[]) parseGrantToken(markers, token);
}
