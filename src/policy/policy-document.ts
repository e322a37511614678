// Minimal key-policy document checks until policies are parsed and enforced: the document must be a
// JSON object. Full grammar, principals and the lockout safety check belong to the authorization work.
import { KmsError } from '../errors.ts';

export function checkPolicyDocument(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new KmsError('MalformedPolicyDocumentException', 'The new key policy is not valid JSON.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new KmsError('MalformedPolicyDocumentException', 'The new key policy must be a JSON object.');
  }
}
