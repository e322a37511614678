// The condition context of one authorization: the request's own keys, the caller's (aws:Principal*),
// the connection's, and the key's (kms:KeySpec …, and for IAM policies only aws:ResourceTag and
// kms:ResourceAliases, which AWS does not support in key policies: DG tag-authorization.md).
import type { AuthzRequest, Caller, RequestOrigin } from '../context.ts';
import type { ConditionContext } from '../policy/types.ts';
import type { TagRecord } from '../store/store.ts';
import { requestConditions, type ConditionValues } from './request-conditions.ts';

/** What the server knows of one request when it authorizes an action of it. */
export interface RequestFacts {
  caller: Caller;
  region: string;
  origin: RequestOrigin;
  operation: string;
  input: Readonly<Record<string, unknown>>;
  /** aws:CurrentTime, read once per request. */
  now: number;
}

/** What only identity policies may read: the key's tags and alias names. */
export interface ResourceFacts {
  tags?: readonly TagRecord[];
  aliases?: readonly string[];
}

const lowerTags = new WeakMap<object, ReadonlyMap<string, string>>();

function principalTags(caller: Caller): ReadonlyMap<string, string> {
  let m = lowerTags.get(caller.tags);
  if (!m) {
    m = new Map(Object.entries(caller.tags).map(([k, v]) => [k.toLowerCase(), v]));
    lowerTags.set(caller.tags, m);
  }
  return m;
}

/** A tag's value by its key, matched ignoring case as condition key names are (a key holds at most 50 tags). */
function tagValue(tags: readonly TagRecord[] | undefined, lowerKey: string): string | undefined {
  if (tags === undefined) return undefined;
  for (const t of tags) if (t.tagKey.toLowerCase() === lowerKey) return t.tagValue;
  return undefined;
}

const one = (v: string | undefined): readonly string[] | undefined => (v === undefined ? undefined : [v]);

export class RequestConditionContext implements ConditionContext {
  /** The request's own condition keys, built on first use: most policies never read any. */
  private values: ConditionValues | undefined;

  constructor(
    private readonly facts: RequestFacts,
    private readonly req: AuthzRequest,
    private readonly resource?: ResourceFacts,
  ) {}

  /** The same request as seen by identity policies, which may also read the key's tags and aliases. */
  withResource(resource: ResourceFacts): RequestConditionContext {
    const c = new RequestConditionContext(this.facts, this.req, resource);
    c.values = this.values;
    return c;
  }

  private request(): ConditionValues {
    if (this.values) return this.values;
    const { facts, req } = this;
    const values = requestConditions(facts.operation, req.action, facts.input);
    if (req.requestAlias !== undefined) values.set('kms:requestalias', [req.requestAlias]);
    for (const [k, v] of Object.entries(req.conditions ?? {})) values.set(k.toLowerCase(), typeof v === 'object' ? v : [String(v)]);
    return (this.values = values);
  }

  get(k: string): readonly string[] | undefined {
    // The caller's, connection's and key's keys first: they need no work, and ABAC policies mostly read them.
    if (k.startsWith('aws:principaltag/')) return one(principalTags(this.facts.caller).get(k.slice(17)));
    if (k.startsWith('aws:resourcetag/')) return one(tagValue(this.resource?.tags, k.slice(16)));
    return this.known(k) ?? this.request().get(k);
  }

  /** Keys of the caller, the connection and the key (CreateKey has no key: its kms:KeySpec … come from the request). */
  private known(k: string): readonly string[] | undefined {
    const { facts } = this;
    const { caller } = facts;
    const { key } = this.req;
    switch (k) {
      case 'aws:principalarn':
        return [caller.principalArn];
      case 'aws:principalaccount':
      case 'kms:calleraccount':
        return [caller.accountId];
      case 'aws:principaltype':
        return [caller.principalType];
      case 'aws:username':
        return one(caller.userName);
      case 'aws:userid':
        return [caller.userId];
      case 'aws:currenttime':
        return [new Date(facts.now).toISOString()];
      case 'aws:epochtime':
        return [String(Math.floor(facts.now / 1000))];
      case 'aws:securetransport':
        return [String(facts.origin.secureTransport)];
      case 'aws:sourceip':
        return [facts.origin.sourceIp];
      case 'aws:requestedregion':
        return [facts.region];
      case 'kms:keyspec':
        return one(key?.keySpec);
      case 'kms:keyusage':
        return one(key?.keyUsage);
      case 'kms:keyorigin':
        return one(key?.origin);
      case 'kms:multiregion':
        return key ? [String(key.multiRegion)] : undefined;
      case 'kms:multiregionkeytype':
        // Replicas arrive with multi-Region keys; until then every multi-Region key is a primary.
        return key?.multiRegion ? ['PRIMARY'] : undefined;
      case 'kms:resourcealiases':
        return this.resource?.aliases?.length ? this.resource.aliases : undefined;
    }
    return undefined;
  }
}
