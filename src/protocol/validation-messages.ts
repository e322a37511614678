// The texts of validation failures: Coral's SerializationException wording and AWS's ValidationException
// constraint wording (spec §4.5), kept in one place so they are easy to compare with AWS and to change.
import { KmsError } from '../errors.ts';

/**
 * Coral's SerializationException messages, as measured on another awsJson1.1 service (Athena, 2026) and
 * DynamoDB (blobs); nothing KMS-specific was captured. A top-level scalar is answered like malformed JSON.
 */
export const SERIALIZATION_MESSAGES = {
  notAnObject: '',
  listNotExpected: 'Start of list found where not expected',
  objectNotExpected: 'Start of structure or map found where not expected.',
  expectedList: 'Expected list or null',
  expectedMap: 'Expected map or null',
  expectedStructure: 'Expected null',
  /** token: STRING_VALUE, NUMBER_VALUE, TRUE_VALUE, FALSE_VALUE; type: `a String`, `an Integer`, … */
  cannotConvert: (token: string, type: string) => `${token} can not be converted to ${type}`,
  timestamp: (token: string) => `${token} can not be converted to milliseconds since epoch`,
  base64Length: (v: string) =>
    `'${v}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: ${v.length}`,
  base64Character: (v: string, c: string) => `'${v}' can not be converted to a Blob: Invalid Base64 character: '${c}'`,
  // "dectected" is AWS's spelling.
  base64LastCharacter: (v: string) =>
    `'${v}' can not be converted to a Blob: Invalid last non-pad Base64 character dectected`,
};

/** AWS's constraint wording (spec §4.5). Bracketed lists follow Coral's order: max, min, pattern, enum, not-null. */
export const CONSTRAINT = {
  notNull: 'Member must not be null',
  minLength: (n: number) => `Member must have length greater than or equal to ${n}`,
  maxLength: (n: number) => `Member must have length less than or equal to ${n}`,
  minValue: (n: number) => `Member must have value greater than or equal to ${n}`,
  maxValue: (n: number) => `Member must have value less than or equal to ${n}`,
  enumSet: (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`,
  pattern: (p: string) => `Member must satisfy regular expression pattern: ${p}`,
  listMembers: (c: readonly string[]) => `Member must satisfy constraint: [${c.join(', ')}]`,
  mapKeys: (c: readonly string[]) => `Map keys must satisfy constraint: [${c.join(', ')}]`,
  mapValues: (c: readonly string[]) => `Map value must satisfy constraint: [${c.join(', ')}]`,
};

/** One failure: `Value '<v>' at '<path>' failed to satisfy constraint: <constraint>` (no value when sensitive). */
export const failureText = (subject: string, path: string, constraint: string): string =>
  `${subject} at '${path}' failed to satisfy constraint: ${constraint}`;

/** The ValidationException for failures, in AWS's `N validation error(s) detected: a; b` form. */
export const validationError = (failures: readonly string[]): KmsError =>
  new KmsError(
    'ValidationException',
    `${failures.length} validation error${failures.length === 1 ? '' : 's'} detected: ${failures.join('; ')}`,
  );
