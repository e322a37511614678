// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`) in Resource and
// Condition values: parsed once into parts, resolved per request from the condition context.
// IAM replaces variables only in documents of Version 2012-10-17; elsewhere `${...}` is plain text.
import type { ConditionContext } from './types.ts';

/** Text of a pattern; `wild` says whether its `*` and `?` are wildcards (false for variable values and `${*}`). */
export interface Chunk {
  text: string;
  wild: boolean;
}

interface Variable {
  /** The condition key, lower-cased. */
  key: string;
  fallback: string | undefined;
}

type Part = Chunk | Variable;

export interface Template {
  raw: string;
  parts: readonly Part[];
  /** Lower-cased keys of the variables it reads; empty for a static value. */
  keys: readonly string[];
}

// `${key}` or `${key, 'default'}`; IAM's default value is a single-quoted literal.
const VARIABLE = /^\s*([^\s,'{}$]+)\s*(?:,\s*'([^']*)'\s*)?$/;

export function parseTemplate(raw: string, variables: boolean): Template {
  if (!variables || !raw.includes('${')) return { raw, parts: [{ text: raw, wild: true }], keys: [] };
  const parts: Part[] = [];
  const keys: string[] = [];
  const literal = (text: string, wild: boolean): void => {
    if (text === '') return;
    const last = parts[parts.length - 1];
    if (last && 'text' in last && last.wild === wild) last.text += text;
    else parts.push({ text, wild });
  };
  let pos = 0;
  while (pos < raw.length) {
    const open = raw.indexOf('${', pos);
    const close = open < 0 ? -1 : raw.indexOf('}', open + 2);
    if (open < 0 || close < 0) {
      literal(raw.slice(pos), true);
      break;
    }
    literal(raw.slice(pos, open), true);
    const inner = raw.slice(open + 2, close);
    const m = VARIABLE.exec(inner);
    if (inner === '*' || inner === '?' || inner === '$') {
      literal(inner, false); // ${*} is a literal asterisk, not a wildcard (IAM "special characters")
    } else if (m) {
      const key = m[1]!.toLowerCase();
      parts.push({ key, fallback: m[2] });
      if (!keys.includes(key)) keys.push(key);
    } else {
      literal(raw.slice(open, close + 1), true);
    }
    pos = close + 1;
  }
  return { raw, parts, keys };
}

/** The template with its variables replaced, or undefined when one has no value and no default (matches nothing). */
export function resolveTemplate(t: Template, ctx: ConditionContext): Chunk[] | undefined {
  if (t.keys.length === 0) return t.parts as Chunk[];
  const out: Chunk[] = [];
  for (const part of t.parts) {
    if ('text' in part) {
      out.push(part);
      continue;
    }
    // A multi-valued key substitutes its first value.
    const value = ctx.get(part.key)?.[0] ?? part.fallback;
    if (value === undefined) return undefined;
    out.push({ text: value, wild: false });
  }
  return out;
}

export function chunksText(chunks: readonly Chunk[]): string {
  return chunks.length === 1 ? chunks[0]!.text : chunks.map((c) => c.text).join('');
}
