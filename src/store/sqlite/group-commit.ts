// Group commit. Store transactions run one at a time, each in a savepoint of one SQLite transaction, and that
// transaction is committed once per turn of the event loop: the requests that arrive together share one COMMIT
// and one fsync instead of paying one each. A transaction that fails is rolled back to its savepoint, alone.
// Every transaction's outcome is handed over only once the commits before it are durable (reads included: they
// may have seen those writes), so no request is answered before its write would survive a crash.
// Where the store can make a commit durable off the event loop (`sync`), COMMIT only writes the WAL and the fsync
// runs in libuv's thread pool while the next batch is built: one fsync in flight at a time, and the batch that
// gathers meanwhile is committed when it ends. A transaction that touches no SQL and has nothing undurable before it is answered at once.

/** The statements group commit needs; `clearCache` forgets what uncommitted reads may have cached. */
export interface SqlControl {
  begin(): void;
  commit(): void;
  rollback(): void;
  savepoint(): void;
  release(): void;
  rollbackToSavepoint(): void;
  inTransaction(): boolean;
  clearCache(): void;
  /**
   * Makes every commit made so far durable, off the event loop (fdatasync of the WAL). Absent when COMMIT itself
   * is durable, or when nothing is (synchronous NORMAL, memory).
   */
  sync?(): Promise<void>;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Held {
  deliver(): void;
  fail(error: unknown): void;
}

/** Outcomes waiting for the durability of commit number `upTo`. */
interface AwaitingSync {
  upTo: number;
  held: Held[];
}

/** A batch larger than this is committed at once rather than at the end of the turn: it bounds the wait. */
const MAX_BATCH = 256;

export class GroupCommit {
  #busy = false;
  #waiters: (() => void)[] = [];
  /** The SQLite transaction of the current batch is open. */
  #open = false;
  #held: Held[] = [];
  #commitQueued = false;
  /** Commits made, and how many of them are durable (they differ only with `sync`). */
  #committed = 0;
  #durable = 0;
  #syncing = false;
  #awaitingSync: AwaitingSync[] = [];
  /** Set when an fsync failed: what was committed may not be on disk, and the store takes no more work. */
  #syncFailure: Error | undefined;

  constructor(private readonly sql: SqlControl) {}

  /**
   * Runs `body` as one transaction. It must call `enter()` before its first SQL statement: that opens the batch
   * (BEGIN) if none is open and the transaction's savepoint.
   */
  async run<T>(body: (enter: () => void) => Promise<T>): Promise<T> {
    const wait = this.#acquire();
    if (wait !== undefined) await wait;
    let outcome: Outcome<T>;
    let delivered: Promise<T> | undefined;
    try {
      if (this.#syncFailure !== undefined) throw this.#syncFailure;
      let entered = false;
      const enter = () => {
        if (entered) return;
        if (!this.#open) {
          this.sql.begin();
          this.#open = true;
        }
        this.sql.savepoint();
        entered = true;
      };
      try {
        outcome = { ok: true, value: await body(enter) };
        if (entered) this.sql.release();
      } catch (error) {
        outcome = { ok: false, error };
        if (entered) this.#rollbackToSavepoint();
      }
      if (this.#open) {
        delivered = this.#hold(outcome, this.#held);
        if (this.#held.length >= MAX_BATCH) this.#commit();
        else this.#queueCommit();
      } else if (this.#durable < this.#committed) {
        // No batch of its own, but it may have read what an fsync in flight is still making durable.
        const awaiting: Held[] = [];
        delivered = this.#hold(outcome, awaiting);
        this.#awaitingSync.push({ upTo: this.#committed, held: awaiting });
      }
    } finally {
      // The next transaction joins the batch while this one's outcome waits for the commit.
      this.#release();
    }
    return delivered ?? settle(outcome);
  }

  /**
   * Commits the open batch once the running transaction is done and waits until every commit is durable; then
   * runs `after` (closing the store) alone.
   */
  async flush(after?: () => void): Promise<void> {
    const wait = this.#acquire();
    if (wait !== undefined) await wait;
    try {
      this.#commit();
      if (this.#durable < this.#committed) {
        await new Promise<void>((resolve) => {
          this.#awaitingSync.push({ upTo: this.#committed, held: [{ deliver: resolve, fail: () => resolve() }] });
        });
      }
      after?.();
    } finally {
      this.#release();
    }
  }

  #hold<T>(settled: Outcome<T>, into: Held[]): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      into.push({ deliver: () => (settled.ok ? resolve(settled.value) : reject(settled.error)), fail: reject }),
    );
  }

  #queueCommit(): void {
    if (this.#commitQueued) return;
    this.#commitQueued = true;
    // After this turn's requests have joined the batch; behind any transaction still running.
    setImmediate(() => {
      this.#commitQueued = false;
      // While an fsync runs the batch stays open and grows: its answers would wait for that fsync anyway, and
      // one commit per fsync writes each touched page to the WAL once instead of once per turn.
      if (!this.#syncing) void this.#commitWhenFree();
    });
  }

  async #commitWhenFree(): Promise<void> {
    const wait = this.#acquire();
    if (wait !== undefined) await wait;
    try {
      this.#commit();
    } finally {
      this.#release();
    }
  }

  #commit(): void {
    if (!this.#open) return;
    const held = this.#held;
    this.#held = [];
    this.#open = false;
    try {
      this.sql.commit();
    } catch (error) {
      if (this.sql.inTransaction()) {
        try {
          this.sql.rollback();
        } catch {
          // Nothing more can be undone; the next BEGIN reports a broken connection.
        }
      }
      this.sql.clearCache();
      for (const h of held) h.fail(error);
      return;
    }
    this.#committed++;
    if (this.#syncFailure !== undefined) {
      for (const h of held) h.fail(this.#syncFailure);
      return;
    }
    if (this.sql.sync === undefined) {
      this.#durable = this.#committed;
      for (const h of held) h.deliver();
      return;
    }
    this.#awaitingSync.push({ upTo: this.#committed, held });
    this.#startSync();
  }

  /** One fsync at a time; when it ends, the next covers every commit made meanwhile. */
  #startSync(): void {
    if (this.#syncing || this.#durable === this.#committed || this.#syncFailure !== undefined) return;
    this.#syncing = true;
    const upTo = this.#committed;
    this.sql.sync!().then(
      () => {
        this.#syncing = false;
        this.#durable = upTo;
        while (this.#awaitingSync.length > 0 && this.#awaitingSync[0]!.upTo <= upTo) {
          for (const h of this.#awaitingSync.shift()!.held) h.deliver();
        }
        if (this.#open) void this.#commitWhenFree();
        else this.#startSync();
      },
      (error: unknown) => {
        this.#syncing = false;
        // Linux may drop the failed pages and report success to a later fsync: nothing after this can be trusted.
        this.#syncFailure = new Error(`the store cannot make writes durable: ${(error as Error).message}`);
        const awaiting = this.#awaitingSync;
        this.#awaitingSync = [];
        for (const a of awaiting) for (const h of a.held) h.fail(this.#syncFailure);
      },
    );
  }

  #rollbackToSavepoint(): void {
    try {
      this.sql.rollbackToSavepoint();
      this.sql.release();
    } catch {
      // The savepoint is gone with the whole transaction (SQLite rolled back on an error it could not contain).
      this.#open = this.sql.inTransaction();
    }
  }

  /** Takes the mutex at once (undefined) or returns a promise that resolves when it is handed over. */
  #acquire(): Promise<void> | undefined {
    if (!this.#busy) {
      this.#busy = true;
      return undefined;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#busy = false;
    else next();
  }
}

function settle<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
