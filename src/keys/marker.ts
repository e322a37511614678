// Pagination markers: opaque, HMAC-signed positions bound to the listing they came from, so a marker
// Trent did not issue (or one from another listing) is refused with InvalidMarkerException.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KmsError } from '../errors.ts';

export interface Markers {
  /** A marker for resuming the listing `scope` after `position`. */
  issue(scope: string, position: string): string;
  /** The position a marker encodes, if it was issued for `scope`; InvalidMarkerException otherwise. */
  read(scope: string, marker: string): string;
}

const invalid = () => new KmsError('InvalidMarkerException', 'Invalid marker');

export function createMarkers(secret: Buffer): Markers {
  const mac = (scope: string, position: string) =>
    createHmac('sha256', secret).update(scope).update('\0').update(position).digest().subarray(0, 16);
  return {
    issue(scope, position) {
      const pos = Buffer.from(position, 'utf8');
      return Buffer.concat([mac(scope, position), pos]).toString('base64url');
    },
    read(scope, marker) {
      if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw invalid();
      const raw = Buffer.from(marker, 'base64url');
      if (raw.length < 16) throw invalid();
      const position = raw.subarray(16).toString('utf8');
      if (!timingSafeEqual(raw.subarray(0, 16), mac(scope, position))) throw invalid();
      return position;
    },
  };
}
