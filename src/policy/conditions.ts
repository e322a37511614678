// A statement's Condition element compiled to one closure. IAM semantics (User Guide,
// reference_policies_elements_condition_operators and …condition-single-vs-multi-valued-context-keys):
// operators AND, keys within an operator AND, values of one key OR (NOR for negated operators).
import { parseOperator, valuePredicate, type OperatorSpec, type Pred } from './condition-operators.ts';
import type { PolicyMessages } from './messages.ts';
import { chunksText, parseTemplate, resolveTemplate, type Chunk, type Template } from './policy-variables.ts';
import type { ConditionContext, PolicyKind } from './types.ts';
import { PolicyDocumentError } from './types.ts';
import { RegExpCache } from './wildcard.ts';

export type ConditionTest = (ctx: ConditionContext) => boolean;

export interface ConditionOptions {
  kind: PolicyKind;
  variables: boolean;
  msgs: PolicyMessages;
  /** Receives every lower-cased condition key and variable key the block reads. */
  referenced: Set<string>;
}

// "These condition keys are not permitted in a key policy: aws:ResourceTag, kms:ResourceTag,
// kms:ResourceAliases" (awsdocs/aws-kms-developer-guide#47): they describe one key, so only IAM policies use them.
function notPermittedInKeyPolicy(lowerKey: string): boolean {
  return (
    lowerKey === 'kms:resourcealiases' ||
    lowerKey === 'aws:resourcetag' ||
    lowerKey.startsWith('aws:resourcetag/') ||
    lowerKey === 'kms:resourcetag' ||
    lowerKey.startsWith('kms:resourcetag/')
  );
}

function scalars(value: unknown, msgs: PolicyMessages): string[] {
  const one = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new PolicyDocumentError(msgs.badCondition);
  };
  return Array.isArray(value) ? value.map(one) : [one(value)];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Undefined when the statement has no condition (or an empty one). */
export function compileConditions(block: unknown, opts: ConditionOptions): ConditionTest | undefined {
  const { msgs } = opts;
  if (!isObject(block)) throw new PolicyDocumentError(msgs.badCondition);
  const tests: ConditionTest[] = [];
  for (const [opName, body] of Object.entries(block)) {
    const spec = parseOperator(opName);
    if (spec === undefined) throw new PolicyDocumentError(msgs.badOperator(opName));
    if (!isObject(body)) throw new PolicyDocumentError(msgs.badCondition);
    for (const [key, raw] of Object.entries(body)) {
      const lowerKey = key.toLowerCase();
      if (opts.kind === 'key' && notPermittedInKeyPolicy(lowerKey)) throw new PolicyDocumentError(msgs.keysNotPermitted);
      opts.referenced.add(lowerKey);
      const values = scalars(raw, msgs);
      tests.push(compileKeyTest(opName, spec, lowerKey, values, opts));
    }
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (ctx) => tests.every((t) => t(ctx));
}

function compileKeyTest(opName: string, spec: OperatorSpec, lowerKey: string, values: string[], opts: ConditionOptions): ConditionTest {
  const { msgs } = opts;
  if (spec.family === 'null') {
    // Null: "true" holds when the key is absent, "false" when it is present.
    const wants = values.map((v) => {
      const lower = v.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw new PolicyDocumentError(msgs.badConditionValue(opName, v));
      return lower === 'true';
    });
    return (ctx) => {
      const vals = ctx.get(lowerKey);
      const absent = vals === undefined || vals.length === 0;
      return wants.some((w) => w === absent);
    };
  }
  const matches = compileValues(opName, spec, values, opts);
  const { negated, ifExists, set } = spec;
  return (ctx) => {
    const vals = ctx.get(lowerKey);
    if (vals === undefined || vals.length === 0) {
      if (ifExists) return true;
      // ForAnyValue on a missing or empty key is false, ForAllValues true; otherwise a missing key fails
      // positive operators and satisfies negated ones.
      if (set === 'any') return false;
      if (set === 'all') return true;
      return negated;
    }
    const positive = matches(ctx);
    if (set === 'any') return vals.some((v) => positive(v) !== negated);
    if (set === 'all') return vals.every((v) => positive(v) !== negated);
    // A plain operator on a key with several values holds when any value matches (chosen; IAM documents
    // plain operators for single-valued keys); its negated form holds when none does.
    const any = vals.length === 1 ? positive(vals[0]!) : vals.some(positive);
    return any !== negated;
  };
}

/** Per request: whether a request value matches any of the policy values (before negation). */
function compileValues(opName: string, spec: OperatorSpec, values: string[], opts: ConditionOptions): (ctx: ConditionContext) => Pred {
  const cache = new RegExpCache();
  const statics: Pred[] = [];
  const dynamics: Template[] = [];
  const exact = new Set<string>();
  for (const value of values) {
    const t = parseTemplate(value, opts.variables && spec.family !== 'bool' && spec.family !== 'binary');
    for (const k of t.keys) opts.referenced.add(k);
    if (t.keys.length > 0) {
      dynamics.push(t);
      continue;
    }
    const chunks = t.parts as Chunk[]; // a template without variables is only text
    if (spec.family === 'string') {
      exact.add(chunksText(chunks));
      continue;
    }
    if (spec.family === 'stringIgnoreCase') {
      exact.add(chunksText(chunks).toLowerCase());
      continue;
    }
    const pred = valuePredicate(spec, chunks, cache);
    if (pred === undefined) throw new PolicyDocumentError(opts.msgs.badConditionValue(opName, value));
    statics.push(pred);
  }
  if (exact.size > 0) {
    statics.unshift(spec.family === 'stringIgnoreCase' ? (v) => exact.has(v.toLowerCase()) : (v) => exact.has(v));
  }
  const fixed: Pred = statics.length === 1 ? statics[0]! : (v) => statics.some((p) => p(v));
  if (dynamics.length === 0) return () => fixed;
  return (ctx) => {
    const preds = statics.length > 0 ? [fixed] : [];
    for (const t of dynamics) {
      // A variable with no value and no default makes its policy value match nothing.
      const chunks = resolveTemplate(t, ctx);
      const pred = chunks && valuePredicate(spec, chunks, cache);
      if (pred) preds.push(pred);
    }
    return (v) => preds.some((p) => p(v));
  };
}
