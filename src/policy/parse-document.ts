// The policy grammar: JSON text to checked statements (element names, types, Effect, Version,
// required elements per kind). Principals and conditions are checked where they are compiled.
import { messagesFor, type PolicyMessages } from './messages.ts';
import type { PolicyKind } from './types.ts';
import { PolicyDocumentError } from './types.ts';

export interface ParsedStatement {
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
  /** Principal or NotPrincipal, unparsed; absent in identity policies. */
  principal: { not: boolean; value: unknown } | undefined;
  /** Absent when the statement has neither Action nor NotAction (a key policy keeps it, with no effect). */
  action: { not: boolean; patterns: string[] } | undefined;
  resource: { not: boolean; patterns: string[] } | undefined;
  condition: unknown;
}

export interface ParsedDocument {
  version: string | undefined;
  statements: ParsedStatement[];
}

const TOP = new Set(['Version', 'Id', 'Statement']);
const ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (message: string): never => {
  throw new PolicyDocumentError(message);
};

export function parseDocument(text: string, kind: PolicyKind): ParsedDocument {
  const msgs = messagesFor(kind);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    fail(msgs.notJson);
  }
  if (!isObject(doc)) return fail(msgs.notObject);
  for (const name of Object.keys(doc)) if (!TOP.has(name)) fail(msgs.unknownElement(name));
  const version = doc.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') fail(msgs.badVersion);
  if (doc.Id !== undefined && typeof doc.Id !== 'string') fail(msgs.badId);
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) fail(msgs.noStatement);
  const sids = new Set<string>();
  const statements = list.map((s) => parseStatement(s, kind, msgs));
  for (const s of statements) {
    if (s.sid === undefined || s.sid === '') continue;
    if (sids.has(s.sid)) fail(msgs.duplicateSid);
    sids.add(s.sid);
  }
  return { version: version as string | undefined, statements };
}

function strings(st: Record<string, unknown>, name: string, msgs: PolicyMessages): string[] | undefined {
  const v = st[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return fail(msgs.badElement(name));
}

/** `*` or `vendor:pattern`, with IAM's texts for the faults. */
function checkAction(a: string, msgs: PolicyMessages): void {
  if (a === '*') return;
  const parts = a.split(':');
  if (parts.length < 2) fail(msgs.actionVendor);
  if (parts.length > 2) fail(msgs.actionColon);
  if (!/^[A-Za-z0-9*?_-]+$/.test(parts[0]!)) fail(msgs.badVendor(parts[0]!));
}

function pair(st: Record<string, unknown>, yes: string, no: string, msgs: PolicyMessages): { not: boolean; patterns: string[] } | undefined {
  const a = strings(st, yes, msgs);
  const b = strings(st, no, msgs);
  if (a !== undefined && b !== undefined) fail(msgs.both(yes, no));
  if (a !== undefined) return { not: false, patterns: a };
  if (b !== undefined) return { not: true, patterns: b };
  return undefined;
}

function parseStatement(st: unknown, kind: PolicyKind, msgs: PolicyMessages): ParsedStatement {
  if (!isObject(st)) return fail(msgs.statementNotObject);
  for (const name of Object.keys(st)) if (!ELEMENTS.has(name)) fail(msgs.unknownStatementElement(name));
  if (st.Sid !== undefined && typeof st.Sid !== 'string') fail(msgs.badElement('Sid'));
  // Effect values are case-sensitive.
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') fail(msgs.badEffect(st.Effect));

  let principal: ParsedStatement['principal'];
  const hasP = st.Principal !== undefined;
  const hasNP = st.NotPrincipal !== undefined;
  if (kind === 'identity') {
    if (hasP || hasNP) fail(msgs.principalNotAllowed);
  } else {
    if (hasP && hasNP) fail(msgs.both('Principal', 'NotPrincipal'));
    if (!hasP && !hasNP) fail(msgs.noPrincipal);
    principal = { not: hasNP, value: hasP ? st.Principal : st.NotPrincipal };
  }

  let action = pair(st, 'Action', 'NotAction', msgs);
  for (const a of action?.patterns ?? []) checkAction(a, msgs);
  let resource = pair(st, 'Resource', 'NotResource', msgs);
  if (kind === 'identity') {
    if (action === undefined || action.patterns.length === 0) fail(msgs.noActions);
    if (resource === undefined || resource.patterns.length === 0) fail(msgs.noResources);
    for (const r of resource!.patterns) if (r !== '*' && !r.startsWith('arn:')) fail(msgs.resourceFormat(r));
  } else {
    // KMS accepts a key-policy statement without Action or Resource; it has no effect (PutKeyPolicy API
    // reference, Policy). An empty list is read the same way.
    if (action?.patterns.length === 0) action = undefined;
    if (resource?.patterns.length === 0) resource = undefined;
  }
  return { sid: st.Sid as string | undefined, effect: st.Effect as 'Allow' | 'Deny', principal, action, resource, condition: st.Condition };
}
