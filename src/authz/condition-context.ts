// The condition context of one authorization: the request's own keys, the caller's (aws:Principal*),
// the connection's, and the key's (kms:KeySpec …, and for IAM policies only aws:ResourceTag and
// kms:ResourceAliases, which AWS does not support in key policies: DG tag-authorization.md).
import type { Caller, RequestOrigin } from '../context.ts';
import type { ConditionContext } from '../policy/types.ts';
import type { KeyRecord } from '../store/store.ts';
import type { ConditionValues } from './request-conditions.ts';

export interface ContextFacts {
  caller: Caller;
  origin: RequestOrigin;
  region: string;
  now: number;
  request: ConditionValues;
  key?: KeyRecord;
}

/** What only identity policies may read: the key's tags (keys lower-cased) and alias names. */
export interface ResourceFacts {
  tags?: ReadonlyMap<string, string>;
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

const one = (v: string | undefined): readonly string[] | undefined => (v === undefined ? undefined : [v]);

export class RequestConditionContext implements ConditionContext {
  constructor(
    private readonly facts: ContextFacts,
    private readonly resource?: ResourceFacts,
  ) {}

  /** The same request as seen by identity policies, which may also read the key's tags and aliases. */
  withResource(resource: ResourceFacts): RequestConditionContext {
    return new RequestConditionContext(this.facts, resource);
  }

  get(k: string): readonly string[] | undefined {
    const { facts } = this;
    const fromRequest = facts.request.get(k);
    if (fromRequest !== undefined) return fromRequest;
    const { caller, key } = facts;
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
    if (k.startsWith('aws:principaltag/')) return one(principalTags(caller).get(k.slice(17)));
    if (k.startsWith('aws:resourcetag/')) return one(this.resource?.tags?.get(k.slice(16)));
    return undefined;
  }
}
