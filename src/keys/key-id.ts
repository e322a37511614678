// Parses the four ways a request names a key (key ID, key ARN, alias name, alias ARN) and builds ARNs.
// Error texts are AWS's, recorded in spec §1.8: `Invalid keyId '<id>'`, `Invalid arn <region>`.
import { KmsError } from '../errors.ts';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MRK = /^mrk-[0-9a-fA-F]{32}$/;
const ARN = /^arn:(aws[a-z-]*):kms:([^:]*):([^:]*):(key|alias)\/(.+)$/;

export type KeyIdentifier =
  | { kind: 'keyId'; keyId: string; account: string; region: string }
  | { kind: 'keyArn'; keyId: string; account: string; region: string }
  | { kind: 'aliasName'; aliasName: string; account: string; region: string }
  | { kind: 'aliasArn'; aliasName: string; account: string; region: string };

export const keyArn = (region: string, account: string, keyId: string): string =>
  `arn:aws:kms:${region}:${account}:key/${keyId}`;

export const aliasArn = (region: string, account: string, aliasName: string): string =>
  `arn:aws:kms:${region}:${account}:${aliasName}`;

export const isWellFormedKeyId = (id: string): boolean => UUID.test(id) || MRK.test(id);

/**
 * Resolves the form of `input` for a caller in `account`/`region`. Throws NotFoundException for
 * malformed IDs and for ARNs of another Region (AWS answers `Invalid arn <region>`).
 */
export function parseKeyIdentifier(input: string, account: string, region: string): KeyIdentifier {
  if (input.startsWith('arn:')) {
    const m = ARN.exec(input);
    if (!m) throw new KmsError('NotFoundException', `Invalid arn ${input}`);
    const [, , arnRegion, arnAccount, type, rest] = m as unknown as [string, string, string, string, string, string];
    if (arnRegion !== region) throw new KmsError('NotFoundException', `Invalid arn ${arnRegion}`);
    if (type === 'alias') return { kind: 'aliasArn', aliasName: `alias/${rest}`, account: arnAccount, region };
    if (!isWellFormedKeyId(rest)) throw new KmsError('NotFoundException', `Invalid keyId '${input}'`);
    return { kind: 'keyArn', keyId: rest, account: arnAccount, region };
  }
  if (input.startsWith('alias/')) return { kind: 'aliasName', aliasName: input, account, region };
  if (!isWellFormedKeyId(input)) throw new KmsError('NotFoundException', `Invalid keyId '${input}'`);
  return { kind: 'keyId', keyId: input, account, region };
}
