// The condition operators IAM defines: name parsing (`ForAnyValue:` / `ForAllValues:` prefixes,
// `IfExists` suffix) and, per operator family, how one policy value is compared with one request value.
import { cidrContains, parseCidr } from './ip-cidr.ts';
import { chunksText, type Chunk } from './policy-variables.ts';
import { RegExpCache } from './wildcard.ts';

export type Family = 'string' | 'stringIgnoreCase' | 'stringLike' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';
type Cmp = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

export interface OperatorSpec {
  family: Family;
  /** StringNotEquals, NotIpAddress, …: true when no policy value matches, and when the key is missing. */
  negated: boolean;
  cmp: Cmp;
  ifExists: boolean;
  set: 'any' | 'all' | undefined;
}

const BASE = new Map<string, Omit<OperatorSpec, 'ifExists' | 'set'>>();
function op(name: string, family: Family, negated = false, cmp: Cmp = 'eq'): void {
  BASE.set(name.toLowerCase(), { family, negated, cmp });
}
op('StringEquals', 'string');
op('StringNotEquals', 'string', true);
op('StringEqualsIgnoreCase', 'stringIgnoreCase');
op('StringNotEqualsIgnoreCase', 'stringIgnoreCase', true);
op('StringLike', 'stringLike');
op('StringNotLike', 'stringLike', true);
for (const [family, prefix] of [['numeric', 'Numeric'], ['date', 'Date']] as const) {
  op(`${prefix}Equals`, family);
  op(`${prefix}NotEquals`, family, true);
  op(`${prefix}LessThan`, family, false, 'lt');
  op(`${prefix}LessThanEquals`, family, false, 'lte');
  op(`${prefix}GreaterThan`, family, false, 'gt');
  op(`${prefix}GreaterThanEquals`, family, false, 'gte');
}
op('Bool', 'bool');
op('BinaryEquals', 'binary');
op('IpAddress', 'ip');
op('NotIpAddress', 'ip', true);
// IAM documents ArnEquals and ArnLike alike: both take wildcards, part by part.
op('ArnEquals', 'arn');
op('ArnLike', 'arn');
op('ArnNotEquals', 'arn', true);
op('ArnNotLike', 'arn', true);
op('Null', 'null');

/** Operator names are matched case-insensitively (chosen: rejecting a casing AWS accepts would lock users out). */
export function parseOperator(name: string): OperatorSpec | undefined {
  let rest = name;
  let set: OperatorSpec['set'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon).toLowerCase();
    if (qualifier === 'foranyvalue') set = 'any';
    else if (qualifier === 'forallvalues') set = 'all';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  let base = BASE.get(rest.toLowerCase());
  if (base === undefined && /ifexists$/i.test(rest)) {
    base = BASE.get(rest.slice(0, -'IfExists'.length).toLowerCase());
    ifExists = true;
    // "You can add IfExists to the end of any condition operator name except the Null condition."
    if (base?.family === 'null') return undefined;
  }
  if (base === undefined) return undefined;
  return { ...base, ifExists, set };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseNumber(s: string): number | undefined {
  return NUMBER.test(s.trim()) ? Number(s.trim()) : undefined;
}

/** ISO 8601 (a missing zone is UTC) or epoch seconds, as milliseconds. */
export function parseDate(s: string): number | undefined {
  const t = s.trim();
  if (/^-?\d+$/.test(t)) return Number(t) * 1000;
  const m = ISO_DATE.exec(t);
  if (!m) return undefined;
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(m[2] === undefined ? `${m[1]}T00:00:00Z` : `${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

function compare(cmp: Cmp, a: number, b: number): boolean {
  switch (cmp) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
  }
}

export type Pred = (requestValue: string) => boolean;

/**
 * Whether a request value matches one (resolved) policy value under the operator, ignoring negation.
 * Undefined when the policy value cannot be read as the operator's type (a number, a date, a CIDR).
 */
export function valuePredicate(spec: OperatorSpec, chunks: readonly Chunk[], cache: RegExpCache): Pred | undefined {
  const text = chunksText(chunks);
  switch (spec.family) {
    case 'string':
    case 'binary':
      return (v) => v === text;
    case 'stringIgnoreCase': {
      const lower = text.toLowerCase();
      return (v) => v.toLowerCase() === lower;
    }
    case 'bool': {
      const lower = text.toLowerCase();
      return (v) => v.toLowerCase() === lower;
    }
    case 'stringLike': {
      const re = cache.get(chunks, 'plain');
      return (v) => re.test(v);
    }
    case 'arn': {
      const re = cache.get(chunks, 'arn');
      return (v) => re.test(v);
    }
    case 'numeric': {
      const n = parseNumber(text);
      if (n === undefined) return undefined;
      return (v) => {
        const x = parseNumber(v);
        return x !== undefined && compare(spec.cmp, x, n);
      };
    }
    case 'date': {
      const d = parseDate(text);
      if (d === undefined) return undefined;
      return (v) => {
        const x = parseDate(v);
        return x !== undefined && compare(spec.cmp, x, d);
      };
    }
    case 'ip': {
      const cidr = parseCidr(text.trim());
      if (cidr === undefined) return undefined;
      return (v) => cidrContains(cidr, v.trim());
    }
    case 'null':
      return undefined;
  }
}
