// AWS Signature V4 (AWS4-HMAC-SHA256) verification on node:crypto: Authorization header or presigned
// query, AWS's check order and wording (spec §4.6), a bounded signing-key cache. Local-development
// mode (no configured credentials) checks everything except the signature itself.
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { Caller } from '../context.ts';
import { constantTimeEqual, keyedHmacSha256Hex } from '../crypto/keyed-hmac.ts';
import { rootCaller } from '../iam/principal.ts';
import type { CredentialEntry } from '../iam/principals-config.ts';
import { KmsError } from '../errors.ts';

export interface SignedRequest {
  method: string;
  path: string;
  /** Raw query string without '?'. */
  query: string;
  /** node's req.rawHeaders: [name, value, name, value...] */
  rawHeaders: string[];
  body: Buffer;
}

export interface Authenticator {
  authenticate(req: SignedRequest, nowMs: number): { caller: Caller; region: string };
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const SKEW_MS = 5 * 60 * 1000;
const MAX_PRESIGN_EXPIRES = 7 * 24 * 3600;
const KEY_CACHE_MAX = 512;
const REGION_RE = /^[a-z0-9-]+$/;
const ISO_BASIC_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const TWELVE_DIGITS_RE = /^\d{12}$/;

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const INVALID_TOKEN = 'The security token included in the request is invalid.';

const incomplete = (msg: string): KmsError => new KmsError('IncompleteSignatureException', msg);
const invalidSig = (msg: string): KmsError => new KmsError('InvalidSignatureException', msg);
const unrecognized = (): KmsError => new KmsError('UnrecognizedClientException', INVALID_TOKEN);

/** The parsed auth material, whichever of header or query it came from. */
interface AuthParts {
  algorithm: string;
  credential: string;
  signedHeaders: string;
  signature: string;
  /** ISO-8601 basic date used in the string to sign. */
  amzDate: string;
  dateMs: number;
  /** Presigned only: X-Amz-Expires seconds; -1 for header auth. */
  expires: number;
  securityToken: string | undefined;
  /** Presigned only: query pairs (decoded), X-Amz-Signature excluded later. */
  queryPairs: [string, string][] | undefined;
}

export function createAuthenticator(opts: {
  credentials: CredentialEntry[];
  defaultAccount: string;
  service?: string;
}): Authenticator {
  const service = opts.service ?? 'kms';
  const byKey = new Map<string, CredentialEntry>();
  for (const entry of opts.credentials) {
    if (byKey.has(entry.accessKeyId)) throw new Error(`duplicate access key id ${entry.accessKeyId}`);
    byKey.set(entry.accessKeyId, entry);
  }
  const localMode = byKey.size === 0;
  // One Caller per access key, so what is derived from a caller once (authorization's principal facts) is reused.
  const localCallers = new Map<string, Caller>();
  // Keyed by the full credential string (keyid/date/region/service/term): with a fixed credential set
  // it determines (secret, date, region, service) exactly. Insertion order gives FIFO eviction.
  const keyCache = new Map<string, (stringToSign: string) => string>();

  const signingKey = (credential: string, secret: string, date: string, region: string): ((stringToSign: string) => string) => {
    let key = keyCache.get(credential);
    if (key === undefined) {
      const kDate = hmac(`AWS4${secret}`, date);
      key = keyedHmacSha256Hex(hmac(hmac(hmac(kDate, region), service), TERMINATOR));
      if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value as string);
      keyCache.set(credential, key);
    }
    return key;
  };

  return {
    authenticate(req: SignedRequest, nowMs: number): { caller: Caller; region: string } {
      const { headers, rawAuthorization } = canonicalHeaderMap(req.rawHeaders);
      const authHeader = headers.get('authorization');
      const queryPairs = req.query === '' ? undefined : parseQuery(req.query);
      const queryAuth = queryPairs !== undefined && queryPairs.some((p) => p[0] === 'X-Amz-Algorithm');

      if (authHeader !== undefined && queryAuth) {
        throw invalidSig("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
      }
      let parts: AuthParts;
      if (authHeader !== undefined && authHeader.startsWith('AWS4-')) {
        parts = parseAuthorizationHeader(rawAuthorization as string, headers);
      } else if (queryAuth) {
        parts = parseQueryAuth(queryPairs);
      } else {
        throw new KmsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      }

      checkTime(parts, nowMs);

      const signed = parseSignedHeaders(parts.signedHeaders);
      const signedList = signed.names;
      if (!signedList.includes('host')) {
        throw invalidSig("'Host' must be a 'SignedHeader' in the AWS Authorization.");
      }
      if (parts.algorithm !== ALGORITHM) {
        throw incomplete(`Unsupported AWS 'algorithm': '${parts.algorithm}' (only AWS4-HMAC-SHA256 for now). `);
      }

      // keyid/date/region/service/term; trailing slashes are ignored, as AWS does.
      let credential = parts.credential;
      while (credential.endsWith('/')) credential = credential.slice(0, -1);
      const scope = credential.split('/');
      if (scope.length !== 5) {
        throw incomplete(
          `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.credential}'`,
        );
      }
      const [accessKeyId, scopeDate, region, scopeService, terminator] = scope as [string, string, string, string, string];
      const problems: string[] = [];
      if (!REGION_RE.test(region)) problems.push(`Credential should be scoped to a valid region, not '${region}'.`);
      if (scopeService !== service) problems.push(`Credential should be scoped to correct service: '${service}'.`);
      if (terminator !== TERMINATOR) {
        problems.push(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`);
      }
      const httpDate = parts.amzDate.slice(0, 8);
      if (scopeDate !== httpDate) {
        problems.push(
          `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${httpDate}', from '${parts.amzDate}'.`,
        );
      }
      if (problems.length > 0) throw invalidSig(problems.join(' '));

      for (const name of signedList) {
        if (!headers.has(name)) {
          throw incomplete(`'${name}' is named as a SignedHeader, but it does not exist in the HTTP request.`);
        }
      }

      if (localMode) {
        let caller = localCallers.get(accessKeyId);
        if (caller === undefined) {
          caller = rootCaller(TWELVE_DIGITS_RE.test(accessKeyId) ? accessKeyId : opts.defaultAccount, accessKeyId);
          // Any access key is accepted here, so the table is bounded like the signing-key cache.
          if (localCallers.size >= KEY_CACHE_MAX) localCallers.clear();
          localCallers.set(accessKeyId, caller);
        }
        return { caller, region };
      }

      const found = byKey.get(accessKeyId);
      if (found === undefined) throw unrecognized();

      // Canonical request (SigV4 spec): method, URI, query, headers, signed headers, payload hash.
      let canonical = `${req.method}\n${canonicalUri(req.path)}\n${canonicalQuery(parts.queryPairs ?? queryPairs)}\n`;
      for (const name of signedList) canonical += `${name}:${headers.get(name)}\n`;
      canonical += `\n${signed.line}\n${sha256Hex(req.body)}`;
      const stringToSign = `${ALGORITHM}\n${parts.amzDate}\n${scopeDate}/${region}/${service}/${TERMINATOR}\n${sha256Hex(canonical)}`;
      const expected = signingKey(credential, found.secretAccessKey, scopeDate, region)(stringToSign);
      // `expected` is lower-case hex: only a well-formed signature can equal it.
      if (!constantTimeEqual(expected, parts.signature)) {
        throw invalidSig(SIGNATURE_MISMATCH);
      }

      // A key issued with a session token needs that token; a long-term key accepts none.
      const wanted = found.sessionToken;
      const token = parts.securityToken;
      if (wanted === undefined ? token !== undefined : token === undefined || !sameString(token, wanted)) {
        throw unrecognized();
      }
      return { caller: found.caller, region };
    },
  };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Lower-cased names → canonical values (trimmed, runs of spaces/tabs collapsed, duplicates joined with
 * ','), plus the first Authorization value exactly as received (error messages quote it verbatim).
 */
function canonicalHeaderMap(raw: string[]): { headers: Map<string, string>; rawAuthorization: string | undefined } {
  const headers = new Map<string, string>();
  let rawAuthorization: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const original = raw[i + 1] as string;
    if (name === 'authorization' && rawAuthorization === undefined) rawAuthorization = original;
    let value = original.trim();
    if (value.includes('  ') || value.includes('\t')) value = value.replace(/[ \t]+/g, ' ');
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? value : `${prev},${value}`);
  }
  return { headers, rawAuthorization };
}

/** What /[\s,]/ matches: JavaScript's white space and line terminators, and the comma. */
function isSeparator(c: number): boolean {
  return (
    c === 0x20 || c === 0x2c || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function parseAuthorizationHeader(header: string, headers: Map<string, string>): AuthParts {
  const trimmed = header.trim();
  let space = 0;
  while (space < trimmed.length && !(isSeparator(trimmed.charCodeAt(space)) && trimmed.charCodeAt(space) !== 0x2c)) space++;
  const algorithm = trimmed.slice(0, space);
  let credential: string | undefined;
  let signature: string | undefined;
  let signedHeaders: string | undefined;
  // key=value tokens separated by white space and commas, scanned by hand: this runs on every request.
  for (let at = space; at < trimmed.length; ) {
    while (at < trimmed.length && isSeparator(trimmed.charCodeAt(at))) at++;
    if (at >= trimmed.length) break;
    let end = at;
    while (end < trimmed.length && !isSeparator(trimmed.charCodeAt(end))) end++;
    const token = trimmed.slice(at, end);
    at = end;
    const eq = token.indexOf('=');
    if (eq < 0) {
      throw incomplete(`'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
    }
    const name = token.slice(0, eq);
    if (name === 'Credential') credential = token.slice(eq + 1);
    else if (name === 'Signature') signature = token.slice(eq + 1);
    else if (name === 'SignedHeaders') signedHeaders = token.slice(eq + 1);
  }
  const xAmzDate = headers.get('x-amz-date');
  const dateValue = xAmzDate ?? headers.get('date');
  let msg = '';
  if (!credential) msg += "Authorization header requires 'Credential' parameter. ";
  if (!signature) msg += "Authorization header requires 'Signature' parameter. ";
  if (signedHeaders === undefined) msg += "Authorization header requires 'SignedHeaders' parameter. ";
  if (dateValue === undefined) {
    msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (msg !== '') throw incomplete(`${msg}Authorization=${header}`);

  const date = xAmzDate !== undefined ? parseIsoBasic(xAmzDate) : parseHttpDate(dateValue as string);
  return {
    algorithm,
    credential: credential as string,
    signedHeaders: signedHeaders as string,
    signature: signature as string,
    amzDate: date.iso,
    dateMs: date.ms,
    expires: -1,
    securityToken: headers.get('x-amz-security-token'),
    queryPairs: undefined,
  };
}

function parseQueryAuth(pairs: [string, string][]): AuthParts {
  const get = (name: string): string | undefined => pairs.find((p) => p[0] === name)?.[1];
  const algorithm = get('X-Amz-Algorithm');
  const credential = get('X-Amz-Credential');
  const signature = get('X-Amz-Signature');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const amzDate = get('X-Amz-Date');
  let msg = '';
  for (const [name, value] of [
    ['X-Amz-Algorithm', algorithm],
    ['X-Amz-Credential', credential],
    ['X-Amz-Signature', signature],
    ['X-Amz-SignedHeaders', signedHeaders],
    ['X-Amz-Date', amzDate],
  ] as const) {
    if (!value) msg += `AWS query-string parameters must include '${name}'. `;
  }
  if (msg !== '') throw incomplete(`${msg}Re-examine the query-string parameters.`);

  const date = parseIsoBasic(amzDate as string);
  const expiresRaw = get('X-Amz-Expires');
  let expires = -1;
  if (expiresRaw !== undefined) {
    expires = /^\d{1,7}$/.test(expiresRaw) ? Number(expiresRaw) : NaN;
    if (!(expires >= 1 && expires <= MAX_PRESIGN_EXPIRES)) {
      throw incomplete(`X-Amz-Expires must be between 1 and ${MAX_PRESIGN_EXPIRES} seconds, got '${expiresRaw}'.`);
    }
  }
  return {
    algorithm: algorithm as string,
    credential: credential as string,
    signedHeaders: signedHeaders as string,
    signature: signature as string,
    amzDate: date.iso,
    dateMs: date.ms,
    expires,
    securityToken: get('X-Amz-Security-Token'),
    queryPairs: pairs.filter((p) => p[0] !== 'X-Amz-Signature'),
  };
}

function badDate(value: string): KmsError {
  return incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

// Requests of the same second carry the same X-Amz-Date: the last one parsed is kept.
let lastIsoBasic: { iso: string; ms: number } | undefined;

function parseIsoBasic(value: string): { iso: string; ms: number } {
  if (lastIsoBasic !== undefined && lastIsoBasic.iso === value) return lastIsoBasic;
  const m = ISO_BASIC_RE.exec(value);
  if (m === null) throw badDate(value);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(Number(m[1]), month - 1, day, Number(m[4]), Number(m[5]), Number(m[6]));
  // Date.UTC rolls out-of-range fields over (month 13, day 32, hour 24...): reject those.
  const d = new Date(ms);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) {
    throw badDate(value);
  }
  lastIsoBasic = { iso: value, ms };
  return lastIsoBasic;
}

/** The `Date` header fallback: ISO-8601 basic or an HTTP date (RFC 7231). */
function parseHttpDate(value: string): { iso: string; ms: number } {
  if (ISO_BASIC_RE.test(value)) return parseIsoBasic(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badDate(value);
  const whole = Math.floor(ms / 1000) * 1000;
  return { iso: isoBasic(whole), ms: whole };
}

/** 20240101T000000Z */
function isoBasic(ms: number): string {
  const s = new Date(ms).toISOString(); // 2024-01-01T00:00:00.000Z
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
}

function checkTime(parts: AuthParts, nowMs: number): void {
  const now = Math.floor(nowMs / 1000) * 1000;
  if (parts.expires >= 0) {
    const earliest = now - parts.expires * 1000;
    if (parts.dateMs < earliest) {
      throw invalidSig(
        `Signature expired: ${parts.amzDate} is now earlier than ${isoBasic(earliest)} (${isoBasic(now)} - ${parts.expires} sec.)`,
      );
    }
  } else if (parts.dateMs < now - SKEW_MS) {
    throw invalidSig(
      `Signature expired: ${parts.amzDate} is now earlier than ${isoBasic(now - SKEW_MS)} (${isoBasic(now)} - 5 min.)`,
    );
  }
  if (parts.dateMs > now + SKEW_MS) {
    throw invalidSig(
      `Signature not yet current: ${parts.amzDate} is still later than ${isoBasic(now + SKEW_MS)} (${isoBasic(now)} + 5 min.)`,
    );
  }
}

/**
 * Lower-cased, sorted SignedHeaders names, and the canonical request's line of them (clients send it sorted).
 * A client sends the same list with every request of a kind, so the parse is kept for the next one.
 */
const signedHeadersSeen = new Map<string, { names: readonly string[]; line: string }>();
function parseSignedHeaders(value: string): { names: readonly string[]; line: string } {
  let parsed = signedHeadersSeen.get(value);
  if (parsed === undefined) {
    const line = value.toLowerCase();
    const names = line === '' ? [] : line.split(';');
    let sorted = true;
    for (let i = 1; i < names.length && sorted; i++) sorted = (names[i - 1] as string) <= (names[i] as string);
    if (!sorted) names.sort();
    parsed = Object.freeze({ names: Object.freeze(names), line: sorted ? line : names.join(';') });
    if (signedHeadersSeen.size >= KEY_CACHE_MAX) signedHeadersSeen.clear();
    signedHeadersSeen.set(value, parsed);
  }
  return parsed;
}

/** RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else %XX. */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseQuery(query: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [decodeComponent(part), ''] : [decodeComponent(part.slice(0, eq)), decodeComponent(part.slice(eq + 1))]);
  }
  return pairs;
}

/** Sorted by encoded key, then encoded value; each component RFC 3986-encoded. */
function canonicalQuery(pairs: [string, string][] | undefined): string {
  if (pairs === undefined || pairs.length === 0) return '';
  const encoded = pairs.map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Non-S3 canonical URI: dot segments and empty segments removed, the wire path encoded once more. */
function canonicalUri(path: string): string {
  if (path === '/' || path === '') return '/';
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(uriEncode(seg));
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `${lead}${segments.join('/')}${trail}`;
}
