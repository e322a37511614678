// The simulated propagation delay: authorization sees tags and aliases as they were `delay` ago.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PropagationDelay } from '../../src/authz/propagation.ts';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/k';
const tags = (o: Record<string, string>) => Object.entries(o).map(([tagKey, tagValue]) => ({ tagKey, tagValue }));

test('without a delay authorization sees the current state', () => {
  const p = new PropagationDelay(0);
  p.noteTagChange(ARN, tags({ a: '1' }), 0);
  assert.deepEqual(p.tagsAt(ARN, tags({}), 1), tags({}));
  assert.equal(p.enabled, false);
});

test('with a delay each change takes effect exactly `delay` after it was made', () => {
  const p = new PropagationDelay(300_000);
  const t0 = 1_000_000;
  p.noteTagChange(ARN, tags({ team: 'blue' }), t0); // blue removed at t0
  p.noteTagChange(ARN, tags({}), t0 + 60_000); // red added at t0+60s
  const now = tags({ team: 'red' });
  assert.deepEqual(p.tagsAt(ARN, now, t0 + 1), tags({ team: 'blue' }));
  assert.deepEqual(p.tagsAt(ARN, now, t0 + 299_999), tags({ team: 'blue' }));
  assert.deepEqual(p.tagsAt(ARN, now, t0 + 300_000), tags({}));
  assert.deepEqual(p.tagsAt(ARN, now, t0 + 360_000), now);
  // Other keys are unaffected.
  assert.deepEqual(p.tagsAt(`${ARN}2`, now, t0), now);
});

test('alias changes are delayed the same way', () => {
  const p = new PropagationDelay(1000);
  p.noteAliasChange(ARN, ['alias/old'], 10);
  assert.deepEqual(p.aliasesAt(ARN, ['alias/new'], 500), ['alias/old']);
  assert.deepEqual(p.aliasesAt(ARN, ['alias/new'], 1010), ['alias/new']);
});
