// Group commit. Store transactions run one at a time, each in a savepoint of one SQLite transaction, and that
// transaction is committed once per turn of the event loop: the requests that arrive together share one COMMIT
// and one fsync instead of paying one each. A transaction that fails is rolled back to its savepoint, alone.
// Every transaction's outcome is handed over only after the commit that makes it durable (reads included: they
// may have seen the batch's writes), so no request is answered before its write would survive a crash.
// A transaction that touches no SQL (the read cache answered) and finds no batch open is answered at once.

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
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Held {
  deliver(): void;
  fail(error: unknown): void;
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
        const settled = outcome;
        delivered = new Promise<T>((resolve, reject) =>
          this.#held.push({ deliver: () => (settled.ok ? resolve(settled.value) : reject(settled.error)), fail: reject }),
        );
        if (this.#held.length >= MAX_BATCH) this.#commit();
        else this.#queueCommit();
      }
    } finally {
      // The next transaction joins the batch while this one's outcome waits for the commit.
      this.#release();
    }
    return delivered ?? settle(outcome);
  }

  /** Commits the open batch once the running transaction is done; then runs `after` (closing the store) alone. */
  async flush(after?: () => void): Promise<void> {
    const wait = this.#acquire();
    if (wait !== undefined) await wait;
    try {
      this.#commit();
      after?.();
    } finally {
      this.#release();
    }
  }

  #queueCommit(): void {
    if (this.#commitQueued) return;
    this.#commitQueued = true;
    // After this turn's requests have joined the batch; behind any transaction still running.
    setImmediate(() => {
      this.#commitQueued = false;
      void this.flush();
    });
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
    for (const h of held) h.deliver();
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
