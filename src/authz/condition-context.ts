// The condition context of one authorization: the request's own keys, the caller's (aws:Principal*),
// the connection's, and the key's (kms:KeySpec …, and for IAM policies only aws:ResourceTag and
// kms:ResourceAliases, which AWS does not support in key policies: DG tag-authorization.md).
import type { AuthzRequest, Caller, RequestOrigin } from '../context.ts';
import type { ConditionContext } from '../policy/types.ts';
import { isMultiRegionPrimary } from '../keys/multi-region.ts';
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

/** Tag values by condition key (`<prefix><lower-cased tag key>`), each as the one-value list conditions read. */
type TagConditions = ReadonlyMap<string, readonly string[]>;

function tagConditions(prefix: string, tags: Iterable<readonly [string, string]>): TagConditions {
  const m = new Map<string, readonly string[]>();
  // Condition key names match ignoring case; with two tag keys differing only in case the first wins.
  for (const [k, v] of tags) {
    const key = prefix + k.toLowerCase();
    if (!m.has(key)) m.set(key, Object.freeze([v]));
  }
  return m;
}

// Keyed by the caller's frozen tags and by the store's cached tag lists, so each is indexed once.
const principalTagIndex = new WeakMap<object, TagConditions>();
const resourceTagIndex = new WeakMap<readonly TagRecord[], TagConditions>();

function principalTag(caller: Caller, conditionKey: string): readonly string[] | undefined {
  let m = principalTagIndex.get(caller.tags);
  if (!m) {
    m = tagConditions('aws:principaltag/', Object.entries(caller.tags));
    principalTagIndex.set(caller.tags, m);
  }
  return m.get(conditionKey);
}

function resourceTag(tags: readonly TagRecord[] | undefined, conditionKey: string): readonly string[] | undefined {
  if (tags === undefined) return undefined;
  let m = resourceTagIndex.get(tags);
  if (!m) {
    m = tagConditions('aws:resourcetag/', tags.map((t) => [t.tagKey, t.tagValue] as const));
    resourceTagIndex.set(tags, m);
  }
  return m.get(conditionKey);
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
    if (k.startsWith('aws:principaltag/')) return principalTag(this.facts.caller, k);
    if (k.startsWith('aws:resourcetag/')) return resourceTag(this.resource?.tags, k);
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
        return [this.req.region ?? facts.region];
      case 'kms:keyspec':
        return one(key?.keySpec);
      case 'kms:keyusage':
        return one(key?.keyUsage);
      case 'kms:keyorigin':
        return one(key?.origin);
      case 'kms:multiregion':
        return key ? [String(key.multiRegion)] : undefined;
      case 'kms:multiregionkeytype':
        return key?.multiRegion ? [isMultiRegionPrimary(key) ? 'PRIMARY' : 'REPLICA'] : undefined;
      case 'kms:resourcealiases':
        return this.resource?.aliases?.length ? this.resource.aliases : undefined;
    }
    return undefined;
  }
}
