// Simulates AWS's documented delay between a tag or alias change and its effect on authorization
// ("It might take up to five minutes for tag and alias changes to affect KMS key authorization", DG abac.md).
// With a delay D, authorization sees a key's tags and aliases as they were D ago; the API shows them at once.
// State is per process: it is a testing aid, not replicated between server nodes.
import type { TagRecord } from '../store/store.ts';

interface Change<T> {
  at: number;
  before: T;
}

export class PropagationDelay {
  private readonly tags = new Map<string, Change<readonly TagRecord[]>[]>();
  private readonly aliases = new Map<string, Change<readonly string[]>[]>();

  constructor(private readonly delayMs: number) {}

  get enabled(): boolean {
    return this.delayMs > 0;
  }

  /** Records the tags a key had before a change made at `at`. */
  noteTagChange(keyArn: string, before: readonly TagRecord[], at: number): void {
    if (this.enabled) this.note(this.tags, keyArn, before, at);
  }

  /** Records the alias names a key had before a change made at `at`. */
  noteAliasChange(keyArn: string, before: readonly string[], at: number): void {
    if (this.enabled) this.note(this.aliases, keyArn, before, at);
  }

  /** The tags authorization sees at `now`: the state before the first change younger than the delay. */
  tagsAt(keyArn: string, current: readonly TagRecord[], now: number): readonly TagRecord[] {
    return this.enabled ? this.view(this.tags, keyArn, current, now) : current;
  }

  aliasesAt(keyArn: string, current: readonly string[], now: number): readonly string[] {
    return this.enabled ? this.view(this.aliases, keyArn, current, now) : current;
  }

  /** Drops what is remembered of keys that no longer exist (a reset deleted them; a seed may bring their IDs back). */
  forget(keyArns: Iterable<string>): void {
    for (const arn of keyArns) {
      this.tags.delete(arn);
      this.aliases.delete(arn);
    }
  }

  private note<T>(map: Map<string, Change<T>[]>, keyArn: string, before: T, at: number): void {
    const list = map.get(keyArn) ?? [];
    list.push({ at, before });
    map.set(keyArn, list);
  }

  private view<T>(map: Map<string, Change<T>[]>, keyArn: string, current: T, now: number): T {
    const list = map.get(keyArn);
    if (!list) return current;
    const horizon = now - this.delayMs;
    while (list.length > 0 && list[0]!.at <= horizon) list.shift();
    if (list.length === 0) {
      map.delete(keyArn);
      return current;
    }
    return list[0]!.before;
  }
}
