// The gate that keeps resets and clock moves between requests: an exclusive task waits for requests in flight,
// holds new ones until it is done, and exclusive tasks run one at a time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RequestGate } from '../../src/lifecycle/request-gate.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('RequestGate', () => {
  test('requests enter at once while nothing exclusive waits', () => {
    const gate = new RequestGate();
    assert.equal(gate.enter(), undefined);
    assert.equal(gate.enter(), undefined);
    gate.leave();
    gate.leave();
  });

  test('an exclusive task waits for requests in flight and holds new ones until it is done', async () => {
    const gate = new RequestGate();
    const log: string[] = [];
    assert.equal(gate.enter(), undefined);
    const task = gate.exclusive(async () => {
      log.push('task start');
      await tick();
      log.push('task end');
      return 42;
    });
    await tick();
    assert.equal(log.length, 0, 'the task waits for the request in flight');
    const later = gate.enter();
    assert.ok(later instanceof Promise, 'a new request waits');
    void later.then(() => log.push('new request entered'));
    gate.leave();
    assert.equal(await task, 42);
    await later;
    assert.deepEqual(log, ['task start', 'task end', 'new request entered']);
    gate.leave();
  });

  test('exclusive tasks run one at a time, and a failing one lets the next through', async () => {
    const gate = new RequestGate();
    const log: string[] = [];
    const a = gate.exclusive(async () => {
      log.push('a');
      await tick();
      log.push('a done');
      throw new Error('a failed');
    });
    const b = gate.exclusive(async () => {
      log.push('b');
    });
    await assert.rejects(a, { message: 'a failed' });
    await b;
    assert.deepEqual(log, ['a', 'a done', 'b']);
    assert.equal(gate.enter(), undefined);
    gate.leave();
  });
});
