// Compiled policies by kind and text, for per-request evaluation of stored documents: a bounded LRU
// (a Map keeps insertion order; a hit moves the entry to the end once the cache is half full). Stored documents were validated when
// saved, so principals are not looked up again. One Map per kind keys on the text itself, so a caller
// passing the same string instance pays no hashing.
import { compilePolicy } from './compile.ts';
import type { CompiledPolicy, PolicyKind } from './types.ts';

const LIMIT = 1000;
const caches: Record<PolicyKind, Map<string, CompiledPolicy>> = { key: new Map(), identity: new Map() };

export function cachedPolicy(text: string, kind: PolicyKind): CompiledPolicy {
  const cache = caches[kind];
  let policy = cache.get(text);
  if (policy !== undefined) {
    // Recency matters only once eviction is near: below half full a hit costs one lookup, not a re-insert.
    if (cache.size > LIMIT / 2) {
      cache.delete(text);
      cache.set(text, policy);
    }
    return policy;
  }
  policy = compilePolicy(text, kind);
  if (cache.size >= LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, policy);
  return policy;
}

/** For tests: how many compiled policies of a kind are held. */
export function cachedPolicyCount(kind: PolicyKind): number {
  return caches[kind].size;
}
