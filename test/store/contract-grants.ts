// The grants part of the Store contract (run by contract.ts inside each store's suite): round-trips,
// insertion-order paging per key, ListRetirableGrants' filter, deleteKey cascading, and caches that never
// show a grant after its delete (or hide one after its insert) across transactions and rollbacks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GrantRecord, KeyRecord, KeyRef, Store } from '../../src/store/store.ts';

type WithStore = (fn: (store: Store) => Promise<void>) => Promise<void>;
type Seed = (store: Store, ...keys: KeyRecord[]) => Promise<void>;

const refOf = (k: KeyRef): KeyRef => ({ account: k.account, region: k.region, keyId: k.keyId });

let nextGrant = 0;
/** A grant with only the required fields; `over` replaces any. */
function grant(key: KeyRef, over: Partial<GrantRecord> = {}): GrantRecord {
  nextGrant += 1;
  return {
    ...refOf(key),
    grantId: nextGrant.toString(16).padStart(64, '0'),
    createdAt: 1_700_000_000_000 + nextGrant,
    granteePrincipal: 'arn:aws:iam::111122223333:role/app',
    issuingAccount: 'arn:aws:iam::111122223333:root',
    operations: ['Encrypt'],
    ...over,
  };
}

/** The record without `seq`. */
const bare = (g: GrantRecord | undefined): Omit<GrantRecord, 'seq'> | undefined => {
  if (g === undefined) return undefined;
  const { seq: _seq, ...rest } = g;
  return rest;
};
const ids = (gs: readonly GrantRecord[]) => gs.map((g) => g.grantId);

export function runGrantContract(withStore: WithStore, seed: Seed, makeKey: (over?: Partial<KeyRecord>) => KeyRecord): void {
  test('grants: insert, getGrant and findGrant round-trip every field; absent optional fields stay absent', async () => {
    await withStore(async (store) => {
      const k = makeKey();
      await seed(store, k);
      const full = grant(k, {
        name: 'app-grant:1/x_y-z',
        retiringPrincipal: 'arn:aws:sts::111122223333:assumed-role/Admin/s',
        operations: ['Decrypt', 'Encrypt', 'CreateGrant'],
        constraints: { encryptionContextSubset: { Department: 'IT', 'ünï': 'cödé 🔑' } },
      });
      const equals = grant(k, { constraints: { encryptionContextEquals: {} } });
      const minimal = grant(k);
      await store.transaction(async (tx) => {
        for (const g of [full, equals, minimal]) await tx.insertGrant(g);
      });
      await store.transaction(async (tx) => {
        const got = await tx.getGrant(refOf(k), full.grantId);
        assert.equal(typeof got?.seq, 'number');
        assert.deepEqual(bare(got), full);
        assert.deepEqual(bare(await tx.findGrant(full.grantId)), full);
        assert.deepEqual(bare(await tx.getGrant(refOf(k), equals.grantId)), equals);
        const min = await tx.getGrant(refOf(k), minimal.grantId);
        assert.deepEqual(bare(min), minimal);
        for (const f of ['name', 'retiringPrincipal', 'constraints'] as const) assert.equal(f in min!, false, f);
        assert.ok(min!.seq! > got!.seq!, 'seq increases with insertion');
        assert.equal(await tx.findGrant('f'.repeat(64)), undefined);
        // getGrant is scoped to the key it names.
        assert.equal(await tx.getGrant({ ...refOf(k), keyId: makeKey().keyId }, full.grantId), undefined);
        assert.equal(await tx.getGrant({ ...refOf(k), region: 'eu-west-1' }, full.grantId), undefined);
      });
      // Grant IDs are unique across the store, even on another key.
      const other = makeKey();
      await seed(store, other);
      await assert.rejects(store.transaction((tx) => tx.insertGrant({ ...full, ...refOf(other) })));
      assert.equal(await store.transaction((tx) => tx.countGrants(refOf(other))), 0);
    });
  });

  test('grants: listGrants pages in insertion order per key; countGrants; deleteGrant removes one', async () => {
    await withStore(async (store) => {
      const [a, b] = [makeKey(), makeKey()];
      await seed(store, a, b);
      const onA = [grant(a), grant(a), grant(a), grant(a), grant(a)];
      const onB = grant(b);
      await store.transaction(async (tx) => {
        await tx.insertGrant(onA[0]!);
        await tx.insertGrant(onB);
        for (const g of onA.slice(1)) await tx.insertGrant(g);
      });
      let deletedSeq = 0;
      await store.transaction(async (tx) => {
        const first = await tx.listGrants(refOf(a), undefined, 2);
        deletedSeq = first[1]!.seq!;
        assert.deepEqual(ids(first), ids(onA.slice(0, 2)));
        const rest = await tx.listGrants(refOf(a), first[1]!.seq, 10);
        assert.deepEqual(ids(rest), ids(onA.slice(2)));
        assert.deepEqual(await tx.listGrants(refOf(a), rest.at(-1)!.seq, 10), []);
        assert.equal(await tx.countGrants(refOf(a)), 5);
        assert.deepEqual(ids(await tx.listGrants(refOf(b), undefined, 10)), [onB.grantId]);
        assert.equal(await tx.countGrants(refOf(makeKey())), 0);
      });
      await store.transaction(async (tx) => {
        await tx.deleteGrant(refOf(a), onA[1]!.grantId);
        // Deleting a grant through another key, or one that does not exist, changes nothing.
        await tx.deleteGrant(refOf(b), onA[2]!.grantId);
        await tx.deleteGrant(refOf(a), 'e'.repeat(64));
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(ids(await tx.listGrants(refOf(a), undefined, 10)), ids([onA[0]!, ...onA.slice(2)]));
        assert.equal(await tx.countGrants(refOf(a)), 4);
        assert.equal(await tx.findGrant(onA[1]!.grantId), undefined);
        // Paging resumes after a position whose grant was deleted.
        assert.deepEqual(ids(await tx.listGrants(refOf(a), deletedSeq, 1)), [onA[2]!.grantId]);
      });
    });
  });

  test('grants: listRetirableGrants filters by Region and retiring principal, across accounts, in insertion order', async () => {
    await withStore(async (store) => {
      const admin = 'arn:aws:iam::111122223333:role/admin';
      const [k1, k2, elsewhere, foreign] = [makeKey(), makeKey(), makeKey({ region: 'eu-west-1' }), makeKey({ account: '444455556666' })];
      await seed(store, k1, k2, elsewhere, foreign);
      const wanted = [grant(k1, { retiringPrincipal: admin }), grant(k2, { retiringPrincipal: admin }), grant(foreign, { retiringPrincipal: admin }), grant(k1, { retiringPrincipal: admin })];
      await store.transaction(async (tx) => {
        await tx.insertGrant(wanted[0]!);
        await tx.insertGrant(grant(k1, { retiringPrincipal: 'arn:aws:iam::111122223333:role/other' }));
        await tx.insertGrant(grant(k1));
        await tx.insertGrant(grant(elsewhere, { retiringPrincipal: admin }));
        await tx.insertGrant(wanted[1]!);
        await tx.insertGrant(wanted[2]!);
        await tx.insertGrant(wanted[3]!);
      });
      await store.transaction(async (tx) => {
        // A grant on another account's key names our principal too (API_ListRetirableGrants).
        const all = await tx.listRetirableGrants(k1.region, admin, undefined, 10);
        assert.deepEqual(ids(all), ids(wanted));
        const page = await tx.listRetirableGrants(k1.region, admin, undefined, 3);
        assert.deepEqual(ids(page), ids(wanted.slice(0, 3)));
        assert.deepEqual(ids(await tx.listRetirableGrants(k1.region, admin, page[2]!.seq, 3)), [wanted[3]!.grantId]);
        assert.deepEqual(await tx.listRetirableGrants(k1.region, 'arn:aws:iam::111122223333:role/nobody', undefined, 10), []);
      });
    });
  });

  test('grants: deleteKey removes the key’s grants, and only those', async () => {
    await withStore(async (store) => {
      const [doomed, kept] = [makeKey(), makeKey()];
      await seed(store, doomed, kept);
      const [gone, stays] = [grant(doomed, { retiringPrincipal: 'arn:aws:iam::111122223333:root' }), grant(kept)];
      await store.transaction(async (tx) => {
        await tx.insertGrant(gone);
        await tx.insertGrant(stays);
      });
      // Read first, so a caching store holds the grants before the delete.
      await store.transaction((tx) => tx.listGrants(refOf(doomed), undefined, 10));
      await store.transaction((tx) => tx.deleteKey(refOf(doomed)));
      await store.transaction(async (tx) => {
        assert.equal(await tx.findGrant(gone.grantId), undefined);
        assert.equal(await tx.countGrants(refOf(doomed)), 0);
        assert.deepEqual(await tx.listGrants(refOf(doomed), undefined, 10), []);
        assert.deepEqual(await tx.listRetirableGrants(doomed.region, 'arn:aws:iam::111122223333:root', undefined, 10), []);
        assert.deepEqual(ids(await tx.listGrants(refOf(kept), undefined, 10)), [stays.grantId]);
      });
      // The key ID is free again, with no grant resurrected.
      await seed(store, makeKey({ ...refOf(doomed) }));
      assert.equal(await store.transaction((tx) => tx.countGrants(refOf(doomed))), 0);
    });
  });

  test('grants: reads see committed inserts and deletes; a rolled-back insert leaves nothing', async () => {
    await withStore(async (store) => {
      const k = makeKey();
      await seed(store, k);
      const read = () =>
        store.transaction(async (tx) => ({
          ids: ids(await tx.listGrants(refOf(k), undefined, 50)),
          count: await tx.countGrants(refOf(k)),
        }));
      assert.deepEqual(await read(), { ids: [], count: 0 });
      const g1 = grant(k);
      await store.transaction((tx) => tx.insertGrant(g1));
      assert.deepEqual(await read(), { ids: [g1.grantId], count: 1 });
      assert.deepEqual(bare(await store.transaction((tx) => tx.getGrant(refOf(k), g1.grantId))), g1);

      const boom = new Error('boom');
      const g2 = grant(k);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.insertGrant(g2);
          await tx.deleteGrant(refOf(k), g1.grantId);
          // Reads after a write inside the transaction see it.
          assert.deepEqual(ids(await tx.listGrants(refOf(k), undefined, 50)), [g2.grantId]);
          assert.equal(await tx.countGrants(refOf(k)), 1);
          assert.equal(await tx.getGrant(refOf(k), g1.grantId), undefined);
          throw boom;
        }),
        boom,
      );
      assert.deepEqual(await read(), { ids: [g1.grantId], count: 1 });
      assert.equal(await store.transaction((tx) => tx.findGrant(g2.grantId)), undefined);

      await store.transaction((tx) => tx.deleteGrant(refOf(k), g1.grantId));
      assert.deepEqual(await read(), { ids: [], count: 0 });
      assert.equal(await store.transaction((tx) => tx.getGrant(refOf(k), g1.grantId)), undefined);
    });
  });

  test('grants: a key with more grants than any cache keeps lists them all, in order', async () => {
    await withStore(async (store) => {
      const k = makeKey();
      await seed(store, k);
      const many = Array.from({ length: 1105 }, () => grant(k));
      await store.transaction(async (tx) => {
        for (const g of many) await tx.insertGrant(g);
      });
      await store.transaction(async (tx) => {
        assert.equal(await tx.countGrants(refOf(k)), 1105);
        const all = await tx.listGrants(refOf(k), undefined, 50_000);
        assert.deepEqual(ids(all), ids(many));
        assert.deepEqual(ids(await tx.listGrants(refOf(k), all[1099]!.seq, 3)), ids(many.slice(1100, 1103)));
        assert.deepEqual(bare(await tx.getGrant(refOf(k), many[1104]!.grantId)), many[1104]);
      });
      await store.transaction((tx) => tx.deleteGrant(refOf(k), many[0]!.grantId));
      assert.equal(await store.transaction((tx) => tx.countGrants(refOf(k))), 1104);
    });
  });
}
