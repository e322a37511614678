// Shared paging for the List* operations: fetch one row more than asked to know whether the listing is
// truncated, and hand out a signed marker for the last row returned. NextMarker only when truncated.
import type { Markers } from '../keys/marker.ts';

export interface Page<T> {
  items: T[];
  truncated: boolean;
  nextMarker?: string;
}

/** The position to resume after, from an optional Marker input. */
export const startAfter = (markers: Markers, scope: string, marker: unknown): string | undefined =>
  marker === undefined ? undefined : markers.read(scope, marker as string);

export function pageOf<T>(rows: T[], limit: number, markers: Markers, scope: string, positionOf: (row: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows, truncated: false };
  const items = rows.slice(0, limit);
  return { items, truncated: true, nextMarker: markers.issue(scope, positionOf(items[limit - 1]!)) };
}

/** Output members in AWS's order: <list>, NextMarker (when truncated), Truncated. */
export function pageOutput<T>(name: string, page: Page<T>, map: (row: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { [name]: page.items.map(map) };
  if (page.nextMarker !== undefined) out.NextMarker = page.nextMarker;
  out.Truncated = page.truncated;
  return out;
}
