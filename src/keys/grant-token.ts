// Grant tokens: opaque, HMAC-signed (the pagination markers' secret, under their own scope) strings that
// name one grant. Each CreateGrant call gets a fresh one, even an idempotent repeat that returns an existing
// GrantId, and all tokens of a grant are interchangeable (API_CreateGrant Name).
import { randomBytes } from 'node:crypto';
import { KmsError } from '../errors.ts';
import type { Markers } from './marker.ts';

const SCOPE = 'grant-token';

/** AWS's text for a token it cannot read is unrecorded: Trent's choice. */
export const invalidGrantToken = () => new KmsError('InvalidGrantTokenException', 'Invalid grant token.');

/** A new token for `grantId`. */
export function issueGrantToken(markers: Markers, grantId: string): string {
  return markers.issue(SCOPE, `${grantId}.${randomBytes(16).toString('hex')}`);
}

/** The grant ID a token names; InvalidGrantTokenException for anything Trent did not issue as a grant token. */
export function parseGrantToken(markers: Markers, token: string): string {
  let position: string;
  try {
    position = markers.read(SCOPE, token);
  } catch {
    throw invalidGrantToken();
  }
  const grantId = position.split('.')[0];
  if (grantId === undefined || !/^[0-9a-f]{64}$/.test(grantId)) throw invalidGrantToken();
  return grantId;
}
