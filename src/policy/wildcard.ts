// IAM wildcard patterns (`*` any run, `?` one character) compiled to anchored RegExps, in the three
// flavours IAM uses: plain (Action, StringLike), Resource ARNs and ArnLike (segment by segment).
import type { Chunk } from './policy-variables.ts';

/**
 * plain: `*` spans anything. resource: a `*` inside an ARN segment stays in it, one ending a segment may
 * run past colons (IAM User Guide, reference_policies_elements_resource "Using wildcards in resource ARNs").
 * arn: ArnLike/ArnEquals check each of the six colon-separated parts on its own (condition operators page);
 * a pattern with fewer than six parts falls back to plain matching.
 */
export type GlobMode = 'plain' | 'resource' | 'arn';

const STAR = 0;
const QM = 1;
type Token = string | typeof STAR | typeof QM;

function tokenize(chunks: readonly Chunk[]): Token[] {
  const tokens: Token[] = [];
  for (const c of chunks) {
    for (const ch of c.text) {
      if (c.wild && ch === '*') tokens.push(STAR);
      else if (c.wild && ch === '?') tokens.push(QM);
      else tokens.push(ch);
    }
  }
  return tokens;
}

const escape = (ch: string): string => ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

export function globSource(chunks: readonly Chunk[], mode: GlobMode): string {
  const tokens = tokenize(chunks);
  let colons = 0;
  if (mode === 'arn') {
    for (const t of tokens) if (t === ':') colons++;
    if (colons < 5) mode = 'plain';
  }
  let src = '';
  let segment = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === STAR) {
      if (mode === 'plain') src += '[\\s\\S]*';
      else if (mode === 'resource') {
        const next = tokens[i + 1];
        src += next === undefined || next === ':' ? '[\\s\\S]*' : '[^:]*';
      } else src += segment < 5 ? '[^:]*' : '[\\s\\S]*';
    } else if (t === QM) {
      src += mode === 'arn' && segment < 5 ? '[^:]' : '[\\s\\S]';
    } else {
      if (t === ':') segment++;
      src += escape(t);
    }
  }
  return src;
}

export function globRegExp(chunks: readonly Chunk[], mode: GlobMode, ignoreCase = false): RegExp {
  return new RegExp(`^(?:${globSource(chunks, mode)})$`, ignoreCase ? 'i' : '');
}

/** One RegExp for several static patterns (e.g. a statement's Action list). */
export function globUnion(patterns: readonly string[], mode: GlobMode, ignoreCase: boolean): RegExp {
  const alts = patterns.map((p) => globSource([{ text: p, wild: true }], mode));
  return new RegExp(`^(?:${alts.join('|')})$`, ignoreCase ? 'i' : '');
}

/** Patterns whose text depends on policy variables are compiled per resolved text; this bounds the cost. */
export class RegExpCache {
  private readonly map = new Map<string, RegExp>();
  constructor(private readonly limit = 256) {}

  get(chunks: readonly Chunk[], mode: GlobMode, ignoreCase = false): RegExp {
    const key = mode + (ignoreCase ? 'i' : '') + chunks.map((c) => (c.wild ? '\u0001' : '\u0002') + c.text).join('');
    let re = this.map.get(key);
    if (re === undefined) {
      re = globRegExp(chunks, mode, ignoreCase);
      if (this.map.size >= this.limit) this.map.clear();
      this.map.set(key, re);
    }
    return re;
  }
}
