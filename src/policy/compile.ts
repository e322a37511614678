// compilePolicy: a key or identity policy document checked and compiled once (wildcards to RegExps,
// conditions to closures) into a CompiledPolicy whose evaluate() does no parsing.
import { compileConditions, type ConditionTest } from './conditions.ts';
import { messagesFor } from './messages.ts';
import { parseDocument, type ParsedStatement } from './parse-document.ts';
import { parseTemplate, resolveTemplate, type Chunk, type Template } from './policy-variables.ts';
import { parsePrincipal, principalHit, type PrincipalEntry, type PrincipalHit } from './principal-match.ts';
import type { CompiledPolicy, ConditionContext, EvalRequest, EvalResult, PolicyKind, PrincipalFacts } from './types.ts';
import { globSource, globUnion, RegExpCache } from './wildcard.ts';

export interface CompileOptions {
  /** Whether an AWS principal (in ARN form, account roots included) exists; KMS refuses unknown ones. */
  isKnownPrincipal?: (arn: string) => boolean;
}

interface CompiledStatement {
  deny: boolean;
  action: (action: string) => boolean;
  resource: (resource: string, ctx: ConditionContext) => boolean;
  principal: ((p: PrincipalFacts) => PrincipalHit) | undefined;
  condition: ConditionTest | undefined;
}

function actionMatcher(spec: { not: boolean; patterns: string[] }): (action: string) => boolean {
  if (!spec.not && spec.patterns.includes('*')) return () => true;
  // Action names compare case-insensitively (IAM User Guide, reference_policies_elements_action).
  const re = globUnion(spec.patterns, 'plain', true);
  return spec.not ? (a) => !re.test(a) : (a) => re.test(a);
}

function resourceMatcher(spec: { not: boolean; patterns: string[] }, variables: boolean, referenced: Set<string>) {
  const statics: Chunk[][] = [];
  const dynamics: Template[] = [];
  for (const p of spec.patterns) {
    const t = parseTemplate(p, variables);
    for (const k of t.keys) referenced.add(k);
    if (t.keys.length > 0) dynamics.push(t);
    else statics.push(t.parts as Chunk[]); // a template without variables is only text
  }
  // Operations on no particular resource ask about `*`, which only the pattern `*` covers.
  const star = statics.some((c) => c.length === 1 && c[0]!.wild && c[0]!.text === '*');
  const re = statics.length > 0 ? new RegExp(`^(?:${statics.map((c) => globSource(c, 'resource')).join('|')})$`) : undefined;
  const cache = new RegExpCache();
  const matches = (resource: string, ctx: ConditionContext): boolean => {
    if (resource === '*') return star;
    if (re?.test(resource)) return true;
    for (const t of dynamics) {
      const chunks = resolveTemplate(t, ctx);
      if (chunks && cache.get(chunks, 'resource').test(resource)) return true;
    }
    return false;
  };
  if (!spec.not) return star ? () => true : matches;
  return (resource: string, ctx: ConditionContext) => !matches(resource, ctx);
}

function principalMatcher(entries: PrincipalEntry[], not: boolean): (p: PrincipalFacts) => PrincipalHit {
  // NotPrincipal applies to every caller none of its entries names; an account entry names all of the account.
  if (not) return (p) => (principalHit(entries, p) === 'none' ? 'direct' : 'none');
  return (p) => principalHit(entries, p);
}

function compileStatement(
  s: ParsedStatement,
  kind: PolicyKind,
  variables: boolean,
  referenced: Set<string>,
  opts: CompileOptions | undefined,
): CompiledStatement | undefined {
  const msgs = messagesFor(kind);
  const principal = s.principal && principalMatcher(parsePrincipal(s.principal.value, msgs, opts?.isKnownPrincipal), s.principal.not);
  const condition = s.condition === undefined ? undefined : compileConditions(s.condition, { kind, variables, msgs, referenced });
  if (s.action === undefined || s.resource === undefined) return undefined; // accepted, no effect
  return {
    deny: s.effect === 'Deny',
    action: actionMatcher(s.action),
    resource: resourceMatcher(s.resource, variables, referenced),
    principal,
    condition,
  };
}

class Policy implements CompiledPolicy {
  constructor(
    readonly kind: PolicyKind,
    readonly referencedKeys: ReadonlySet<string>,
    private readonly statements: readonly CompiledStatement[],
  ) {
    this.hasDeny = statements.some((s) => s.deny);
  }

  readonly hasDeny: boolean;

  evaluate(req: EvalRequest): EvalResult {
    const result: EvalResult = { deny: false, allow: false, allowAccount: false };
    for (const s of this.statements) {
      if (!s.action(req.action)) continue;
      let hit: PrincipalHit = 'direct';
      if (s.principal !== undefined) {
        hit = s.principal(req.principal);
        if (hit === 'none') continue;
      }
      if (!s.resource(req.resource, req.context)) continue;
      if (s.condition !== undefined && !s.condition(req.context)) continue;
      // A Deny naming an account applies to all its principals; an Allow naming it delegates to IAM.
      if (s.deny) result.deny = true;
      else if (hit === 'direct') result.allow = true;
      else result.allowAccount = true;
    }
    return result;
  }
}

export function compilePolicy(text: string, kind: PolicyKind, opts?: CompileOptions): CompiledPolicy {
  const doc = parseDocument(text, kind);
  // Policy variables are replaced only in documents of Version 2012-10-17 (IAM User Guide, reference_policies_variables).
  const variables = doc.version === '2012-10-17';
  const referenced = new Set<string>();
  const statements: CompiledStatement[] = [];
  for (const s of doc.statements) {
    const c = compileStatement(s, kind, variables, referenced, opts);
    if (c) statements.push(c);
  }
  return new Policy(kind, referenced, statements);
}
