// Group commit, against a recording stand-in for SQLite: transactions of one turn share one COMMIT, each in its
// savepoint; a failing one is rolled back alone; no outcome is handed over before the commit that makes it
// durable; a failed commit fails the whole batch and forgets the cache; cache-only transactions outside a batch
// are answered at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GroupCommit, type SqlControl } from '../../src/store/sqlite/group-commit.ts';

/** A sync the test settles by hand: `pending` lists the fsyncs in flight. */
function manualSync(log: string[]) {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const sync = () =>
    new Promise<void>((resolve, reject) => {
      log.push('FSYNC');
      pending.push({ resolve, reject });
    });
  return { sync, pending };
}

function recorder(opts: { failCommit?: boolean } = {}) {
  const log: string[] = [];
  let open = false;
  const sql: SqlControl = {
    begin: () => {
      log.push('BEGIN');
      open = true;
    },
    commit: () => {
      if (opts.failCommit) throw new Error('disk I/O error');
      log.push('COMMIT');
      open = false;
    },
    rollback: () => {
      log.push('ROLLBACK');
      open = false;
    },
    savepoint: () => log.push('SAVEPOINT'),
    release: () => log.push('RELEASE'),
    rollbackToSavepoint: () => log.push('ROLLBACK TO'),
    inTransaction: () => open,
    clearCache: () => log.push('clear cache'),
  };
  return { log, sql };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  test('the transactions of one turn share one BEGIN and one COMMIT; each outcome comes after the commit', async () => {
    const { log, sql } = recorder();
    const gc = new GroupCommit(sql);
    const outcomes = [1, 2, 3].map((n) =>
      gc.run(async (enter) => {
        enter();
        log.push(`write ${n}`);
        return n;
      }).then((v) => log.push(`answer ${v}`)),
    );
    await Promise.all(outcomes);
    assert.deepEqual(log, [
      'BEGIN',
      'SAVEPOINT', 'write 1', 'RELEASE',
      'SAVEPOINT', 'write 2', 'RELEASE',
      'SAVEPOINT', 'write 3', 'RELEASE',
      'COMMIT',
      'answer 1', 'answer 2', 'answer 3',
    ]);
  });

  test('a failing transaction is rolled back to its savepoint alone, and its error too waits for the commit', async () => {
    const { log, sql } = recorder();
    const gc = new GroupCommit(sql);
    const ok = gc.run(async (enter) => {
      enter();
      log.push('write ok');
      return 'ok';
    });
    const bad = gc.run(async (enter) => {
      enter();
      log.push('write bad');
      throw new Error('TagException');
    });
    const results = await Promise.allSettled([ok, bad]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected']);
    assert.equal((results[1] as PromiseRejectedResult).reason.message, 'TagException');
    assert.deepEqual(log, ['BEGIN', 'SAVEPOINT', 'write ok', 'RELEASE', 'SAVEPOINT', 'write bad', 'ROLLBACK TO', 'RELEASE', 'COMMIT']);
  });

  test('a failed COMMIT fails every transaction of the batch and clears the cache', async () => {
    const { log, sql } = recorder({ failCommit: true });
    const gc = new GroupCommit(sql);
    const runs = [1, 2].map((n) =>
      gc.run(async (enter) => {
        enter();
        return n;
      }),
    );
    const results = await Promise.allSettled(runs);
    assert.deepEqual(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'fulfilled')), ['disk I/O error', 'disk I/O error']);
    assert.deepEqual(log.slice(-2), ['ROLLBACK', 'clear cache']);
  });

  test('a transaction that needs no SQL and finds no batch open is answered at once; inside a batch it waits', async () => {
    const { log, sql } = recorder();
    const gc = new GroupCommit(sql);
    assert.equal(await gc.run(async () => 'cached'), 'cached');
    assert.deepEqual(log, []);
    const write = gc.run(async (enter) => {
      enter();
      return 'written';
    });
    let cachedAnswered = false;
    const cached = gc.run(async () => 'cached').then((v) => {
      cachedAnswered = true;
      return v;
    });
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(cachedAnswered, false, 'a read during a batch may have seen its writes');
    assert.deepEqual(await Promise.all([write, cached]), ['written', 'cached']);
    assert.deepEqual(log, ['BEGIN', 'SAVEPOINT', 'RELEASE', 'COMMIT']);
  });

  test('transactions run one at a time, in order, even when one awaits', async () => {
    const { log, sql } = recorder();
    const gc = new GroupCommit(sql);
    await Promise.all([
      gc.run(async (enter) => {
        enter();
        log.push('a start');
        await tick();
        log.push('a end');
      }),
      gc.run(async (enter) => {
        enter();
        log.push('b');
      }),
    ]);
    assert.deepEqual(log.filter((l) => !/^[A-Z]/.test(l)), ['a start', 'a end', 'b']);
  });

  test('flush commits the open batch and runs its callback alone', async () => {
    const { log, sql } = recorder();
    const gc = new GroupCommit(sql);
    const w = gc.run(async (enter) => {
      enter();
      return 1;
    });
    await gc.flush(() => log.push('closed'));
    assert.equal(await w, 1);
    assert.deepEqual(log, ['BEGIN', 'SAVEPOINT', 'RELEASE', 'COMMIT', 'closed']);
  });

  describe('with an fsync off the event loop', () => {
    // The commit is queued behind the turn in which its transactions ran: two turns see it made.
    const turns = async () => {
      await tick();
      await tick();
    };

    test('answers wait for the fsync; the batch that gathers meanwhile commits when it ends, with the next fsync', async () => {
      const { log, sql } = recorder();
      const { sync, pending } = manualSync(log);
      const gc = new GroupCommit({ ...sql, sync });
      const answered: number[] = [];
      const write = (n: number) =>
        gc.run(async (enter) => {
          enter();
          return n;
        }).then((v) => answered.push(v));
      const first = write(1);
      await turns();
      assert.deepEqual(log, ['BEGIN', 'SAVEPOINT', 'RELEASE', 'COMMIT', 'FSYNC']);
      const second = write(2);
      await turns();
      const third = write(3);
      await turns();
      assert.deepEqual(log.slice(5), ['BEGIN', 'SAVEPOINT', 'RELEASE', 'SAVEPOINT', 'RELEASE'], 'two turns, one open batch');
      assert.deepEqual(answered, []);
      pending[0]!.resolve();
      await first;
      await turns();
      assert.deepEqual(answered, [1], 'the first fsync covered only the first commit');
      assert.deepEqual(log.slice(10), ['COMMIT', 'FSYNC']);
      pending[1]!.resolve();
      await Promise.all([second, third]);
      assert.deepEqual(answered, [1, 2, 3]);
      assert.equal(pending.length, 2);
    });

    test('a read while an fsync runs waits for it (it may have seen those writes); with nothing in flight it is answered at once', async () => {
      const { log, sql } = recorder();
      const { sync, pending } = manualSync(log);
      const gc = new GroupCommit({ ...sql, sync });
      const write = gc.run(async (enter) => {
        enter();
        return 'written';
      });
      await turns();
      let readAnswered = false;
      const read = gc.run(async () => 'read').then((v) => {
        readAnswered = true;
        return v;
      });
      await turns();
      assert.equal(readAnswered, false);
      pending[0]!.resolve();
      assert.deepEqual(await Promise.all([write, read]), ['written', 'read']);
      assert.equal(await gc.run(async () => 'later'), 'later');
      assert.equal(pending.length, 1);
    });

    test('a failed fsync fails what waited for it and every later transaction', async () => {
      const { log, sql } = recorder();
      const { sync, pending } = manualSync(log);
      const gc = new GroupCommit({ ...sql, sync });
      const write = gc.run(async (enter) => {
        enter();
        return 1;
      });
      await turns();
      pending[0]!.reject(new Error('EIO: i/o error, fdatasync'));
      await assert.rejects(write, { message: 'the store cannot make writes durable: EIO: i/o error, fdatasync' });
      await assert.rejects(gc.run(async () => 'read'), /cannot make writes durable/);
    });

    test('flush waits until every commit is durable before its callback', async () => {
      const { log, sql } = recorder();
      const { sync, pending } = manualSync(log);
      const gc = new GroupCommit({ ...sql, sync });
      const w = gc.run(async (enter) => {
        enter();
        return 1;
      });
      const flushed = gc.flush(() => log.push('closed'));
      await turns();
      assert.deepEqual(log, ['BEGIN', 'SAVEPOINT', 'RELEASE', 'COMMIT', 'FSYNC']);
      pending[0]!.resolve();
      await flushed;
      assert.equal(await w, 1);
      assert.equal(log.at(-1), 'closed');
    });
  });
});
