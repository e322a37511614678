// Read cache of key records, tag lists, material lists and grant lists, for a connection that owns its database file exclusively:
// nothing else writes the file, so an entry stays true until this connection's own writes drop it.
// Transactions fill it only before their first write, so uncommitted data is never cached.
import type { GrantRecord, KeyMaterialRecord, KeyRecord, KeyRef, TagRecord } from '../store.ts';

interface Entry {
  /** null: known not to exist. */
  key?: Readonly<KeyRecord> | null;
  /** Every tag of the key, in database order. */
  tags?: readonly Readonly<TagRecord>[];
  /** Every material of the key, in database order. */
  materials?: readonly Readonly<KeyMaterialRecord>[];
  /**
   * Every grant of the key, in insertion order (authorization reads them on each request that policies do
   * not allow, so the common no-grant case must cost no query); null: too many to keep, ask SQL.
   */
  grants?: readonly Readonly<GrantRecord>[] | null;
}

export type CachedPart = keyof Entry;

const MAX_ENTRIES = 10_000;
const id = (ref: KeyRef) => `${ref.account}\n${ref.region}\n${ref.keyId}`;

export class ReadCache {
  readonly #entries = new Map<string, Entry>();

  get(ref: KeyRef): Entry | undefined {
    return this.#entries.get(id(ref));
  }

  setKey(ref: KeyRef, key: KeyRecord | undefined): void {
    this.#entry(ref).key = key === undefined ? null : Object.freeze(key);
  }

  setTags(ref: KeyRef, tags: TagRecord[]): void {
    this.#entry(ref).tags = Object.freeze(tags.map((t) => Object.freeze(t)));
  }

  setMaterials(ref: KeyRef, materials: KeyMaterialRecord[]): void {
    this.#entry(ref).materials = Object.freeze(materials.map((m) => Object.freeze(m)));
  }

  setGrants(ref: KeyRef, grants: GrantRecord[] | null): void {
    this.#entry(ref).grants = grants === null ? null : Object.freeze(grants.map((g) => Object.freeze(g)));
  }

  /**
   * Forgets what a write changes: one part of the entry, or all of it (a key inserted or deleted). A tag write
   * keeps the key record, so the next TagResource on a key finds it without SQL.
   */
  drop(ref: KeyRef, part?: CachedPart): void {
    if (part === undefined) {
      this.#entries.delete(id(ref));
      return;
    }
    const e = this.#entries.get(id(ref));
    if (e !== undefined) delete e[part];
  }

  /** Forgets everything: a batch whose reads may have been cached failed to commit. */
  clear(): void {
    this.#entries.clear();
  }

  #entry(ref: KeyRef): Entry {
    const k = id(ref);
    let e = this.#entries.get(k);
    if (e === undefined) {
      // A coarse bound: the working set of a test or development server is far below it.
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      e = {};
      this.#entries.set(k, e);
    }
    return e;
  }
}
