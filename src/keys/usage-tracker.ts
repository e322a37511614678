// GetKeyLastUsage's records. A cryptographic call must not pay for a write, so uses are buffered in memory
// and written in batches; AWS documents this data as eventually consistent too (GetKeyLastUsage).
import type { KeyRef, KeyUsageRecord, Store } from '../store/store.ts';

const keyOf = (r: KeyRef) => `${r.account}\n${r.region}\n${r.keyId}`;

export class UsageTracker {
  readonly #pending = new Map<string, KeyUsageRecord>();
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Notes a successful cryptographic operation on a key. */
  record(ref: KeyRef, operation: string, usedAt: number, requestId: string): void {
    this.#pending.set(keyOf(ref), { account: ref.account, region: ref.region, keyId: ref.keyId, operation, usedAt, requestId });
  }

  /** The newest use not yet written, if any (read it before the store's). */
  pending(ref: KeyRef): KeyUsageRecord | undefined {
    return this.#pending.get(keyOf(ref));
  }

  /** Writes buffered uses in one transaction. Call outside any other transaction. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    await this.#store.transaction((tx) => tx.putKeyUsage(batch));
  }
}
