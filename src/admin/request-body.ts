// The JSON body of an admin request: an object with known members only (an empty body is {}).
import { AdminError, invalidBody } from './admin-error.ts';

export function parseAdminBody(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AdminError(400, 'SerializationException', 'Malformed JSON in request body');
  }
}

export function bodyObject(body: unknown, known: readonly string[], usage: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidBody(`the body must be a JSON object: ${usage}`);
  for (const k of Object.keys(body)) if (!known.includes(k)) throw invalidBody(`unknown member "${k}": ${usage}`);
  return body as Record<string, unknown>;
}
