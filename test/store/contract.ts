// The conformance suite every Store implementation must pass: records round-trip, listing order and
// paging, cascades, rollback, serialization of concurrent transactions, and persistence across reopen.
// Tag keys and alias names order by code point (UTF-8 bytes), as SQLite BINARY and PostgreSQL "C" do.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AliasRecord, KeyMaterialRecord, KeyRecord, KeyRef, Store, TagRecord, Tx } from '../../src/store/store.ts';
import { runGrantContract } from './contract-grants.ts';

export interface StoreUnderTest {
  store: Store;
  /** Closes whatever is still open and removes temporary files; must be safe after `store.close()`. */
  cleanup: () => Promise<void>;
  /** Opens the same database again once `store` is closed; omit when the store cannot persist. */
  reopen?: () => Promise<Store>;
}

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const REGION = 'us-east-1';
const OTHER_REGION = 'eu-west-1';

let nextId = 0;
function newKeyId(): string {
  nextId += 1;
  return `1234abcd-12ab-34cd-56ef-${String(nextId).padStart(12, '0')}`;
}

/** A complete key record for store tests; `over` replaces any field. */
export function makeKey(over: Partial<KeyRecord> = {}): KeyRecord {
  return {
    account: ACCOUNT,
    region: REGION,
    keyId: newKeyId(),
    createdAt: 1_700_000_000_123,
    description: '',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyManager: 'CUSTOMER',
    keyState: 'Enabled',
    multiRegion: false,
    currentKeyMaterialId: 'a'.repeat(64),
    policy: '{\n  "Version" : "2012-10-17"\n}',
    ...over,
  };
}

function refOf(k: KeyRef): KeyRef {
  return { account: k.account, region: k.region, keyId: k.keyId };
}

/** The record without `seq` and without properties whose value is undefined. */
function comparable(k: KeyRecord): Omit<KeyRecord, 'seq'> {
  const { seq: _seq, ...rest } = k;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Omit<KeyRecord, 'seq'>;
}

function material(key: KeyRef, materialId: string, over: Partial<KeyMaterialRecord> = {}): KeyMaterialRecord {
  return { ...refOf(key), materialId, createdAt: 1_700_000_000_000, state: 'CURRENT', ...over };
}

function alias(target: KeyRef, aliasName: string, at = 1_700_000_000_000): AliasRecord {
  const { account, region, keyId: targetKeyId } = target;
  return { account, region, aliasName, targetKeyId, createdAt: at, updatedAt: at };
}

const OPTIONAL_KEY_FIELDS = [
  'deletionDate',
  'pendingDeletionWindowInDays',
  'currentKeyMaterialId',
  'customKeyStoreId',
  'validTo',
  'expirationModel',
  'rotationPeriodInDays',
  'nextRotationAt',
  'primaryRegion',
  'transitionEndsAt',
  'stateAfterTransition',
] as const;

export function runStoreContract(name: string, open: () => Promise<StoreUnderTest>, { persistent = true } = {}): void {
  async function withStore(fn: (store: Store, sut: StoreUnderTest) => Promise<void>): Promise<void> {
    const sut = await open();
    try {
      await fn(sut.store, sut);
    } finally {
      await sut.cleanup();
    }
  }

  async function seed(store: Store, ...keys: KeyRecord[]): Promise<void> {
    await store.transaction(async (tx) => {
      for (const k of keys) await tx.insertKey(k);
    });
  }

  describe(`Store contract: ${name}`, () => {
    test('keys: insert and get round-trip every field; absent optional fields come back undefined', async () => {
      await withStore(async (store) => {
        const full = makeKey({
          description: 'every field — ünïcödé 🔑',
          keyState: 'PendingDeletion',
          deletionDate: 1_702_592_000_000,
          pendingDeletionWindowInDays: 7,
          multiRegion: true,
          customKeyStoreId: 'cks-1234567890abcdef0',
          validTo: 1_800_000_000_000,
          expirationModel: 'KEY_MATERIAL_EXPIRES',
          origin: 'EXTERNAL',
          keyManager: 'AWS',
          rotationPeriodInDays: 90,
          nextRotationAt: 1_710_000_000_000,
          primaryRegion: OTHER_REGION,
          transitionEndsAt: 1_700_000_002_000,
          stateAfterTransition: 'Disabled',
        });
        const bare = makeKey();
        delete bare.currentKeyMaterialId;
        await seed(store, full, bare);
        await store.transaction(async (tx) => {
          const got = await tx.getKey(refOf(full));
          assert.ok(got);
          assert.equal(typeof got.seq, 'number');
          assert.deepEqual(comparable(got), comparable(full));
          assert.equal(got.multiRegion, true);

          const gotBare = await tx.getKey(refOf(bare));
          assert.ok(gotBare);
          for (const f of OPTIONAL_KEY_FIELDS) assert.equal(gotBare[f], undefined, f);
          assert.equal(gotBare.multiRegion, false);
          assert.deepEqual(comparable(gotBare), comparable(bare));
          assert.ok(gotBare.seq! > got.seq!, 'seq increases with insertion');

          assert.equal(await tx.getKey({ ...refOf(full), keyId: newKeyId() }), undefined);
          assert.equal(await tx.getKey({ ...refOf(full), account: OTHER_ACCOUNT }), undefined);
        });
      });
    });

    test('keys: listKeysById finds one ID in every Region of its account; listKeysInTransition finds due transitions', async () => {
      await withStore(async (store) => {
        const keyId = `mrk-${newKeyId().replaceAll('-', '')}`;
        const primary = makeKey({ keyId, multiRegion: true, primaryRegion: REGION });
        const replica = makeKey({ keyId, region: OTHER_REGION, multiRegion: true, primaryRegion: REGION, keyState: 'Creating', transitionEndsAt: 5_000, stateAfterTransition: 'Enabled' });
        const elsewhere = makeKey({ keyId, account: OTHER_ACCOUNT, multiRegion: true, primaryRegion: REGION });
        await seed(store, primary, replica, elsewhere, makeKey());
        await store.transaction(async (tx) => {
          assert.deepEqual((await tx.listKeysById(ACCOUNT, keyId)).map((k) => k.region), [REGION, OTHER_REGION]);
          assert.deepEqual((await tx.listKeysById(OTHER_ACCOUNT, keyId)).map((k) => k.region), [REGION]);
          assert.deepEqual(await tx.listKeysById(ACCOUNT, 'mrk-00000000000000000000000000000000'), []);
          assert.deepEqual(await tx.listKeysInTransition(4_999), []);
          assert.deepEqual(await tx.listKeysInTransition(5_000), [refOf(replica)]);
          await tx.updateKey({ ...replica, keyState: 'Enabled', transitionEndsAt: undefined, stateAfterTransition: undefined });
          assert.deepEqual(await tx.listKeysInTransition(10_000), []);
        });
      });
    });

    test('keys: listKeysIn lists one account, one Region, both or all, in insertion order', async () => {
      await withStore(async (store) => {
        const a = makeKey();
        const b = makeKey({ region: OTHER_REGION });
        const c = makeKey({ account: OTHER_ACCOUNT });
        const d = makeKey({ account: OTHER_ACCOUNT, region: OTHER_REGION });
        await seed(store, a, b, c, d);
        await store.transaction(async (tx) => {
          const ids = async (scope: { account?: string; region?: string }) => (await tx.listKeysIn(scope)).map((k) => k.keyId);
          assert.deepEqual(await ids({}), [a, b, c, d].map((k) => k.keyId));
          assert.deepEqual(await ids({ account: ACCOUNT }), [a.keyId, b.keyId]);
          assert.deepEqual(await ids({ region: OTHER_REGION }), [b.keyId, d.keyId]);
          assert.deepEqual(await ids({ account: OTHER_ACCOUNT, region: REGION }), [c.keyId]);
          assert.deepEqual(await ids({ account: '999999999999' }), []);
          assert.deepEqual(comparable((await tx.listKeysIn({ account: ACCOUNT, region: REGION }))[0]!), comparable(a));
        });
      });
    });

    test('keys: inserting an existing key rejects and changes nothing', async () => {
      await withStore(async (store) => {
        const k = makeKey({ description: 'first' });
        await seed(store, k);
        await assert.rejects(store.transaction((tx) => tx.insertKey({ ...k, description: 'second' })));
        const got = await store.transaction((tx) => tx.getKey(refOf(k)));
        assert.equal(got?.description, 'first');
      });
    });

    test('keys: updateKey replaces every mutable field, clearing optional ones', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        await seed(store, k);
        const pending: KeyRecord = {
          ...k,
          description: 'changed',
          keyState: 'PendingDeletion',
          deletionDate: 1_702_592_000_000,
          pendingDeletionWindowInDays: 30,
          multiRegion: true,
          currentKeyMaterialId: 'b'.repeat(64),
          validTo: 1_800_000_000_000,
          expirationModel: 'KEY_MATERIAL_EXPIRES',
          policy: '{"Statement":[]}',
        };
        await store.transaction((tx) => tx.updateKey(pending));
        const got1 = await store.transaction((tx) => tx.getKey(refOf(k)));
        assert.ok(got1);
        assert.deepEqual(comparable(got1), comparable(pending));

        const restored = makeKey({ ...refOf(k), keyState: 'Enabled', description: 'back' });
        delete restored.currentKeyMaterialId;
        await store.transaction((tx) => tx.updateKey(restored));
        const got2 = await store.transaction((tx) => tx.getKey(refOf(k)));
        assert.ok(got2);
        for (const f of OPTIONAL_KEY_FIELDS) assert.equal(got2[f], undefined, f);
        assert.deepEqual(comparable(got2), comparable(restored));
        assert.equal(got2.seq, got1.seq, 'seq is stable across updates');
      });
    });

    test('keys: deleteKey removes the key; deleting an absent key is a no-op', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        const other = makeKey();
        await seed(store, k, other);
        await store.transaction(async (tx) => {
          await tx.deleteKey(refOf(k));
          await tx.deleteKey(refOf(k));
          await tx.deleteKey({ ...refOf(k), keyId: newKeyId() });
        });
        await store.transaction(async (tx) => {
          assert.equal(await tx.getKey(refOf(k)), undefined);
          assert.ok(await tx.getKey(refOf(other)));
        });
      });
    });

    test('keys: listKeys pages in insertion order, isolated by account and Region', async () => {
      await withStore(async (store) => {
        const mine: KeyRecord[] = [];
        const noise: KeyRecord[] = [];
        for (let i = 0; i < 7; i++) {
          mine.push(makeKey({ description: `mine ${i}` }));
          noise.push(makeKey({ account: OTHER_ACCOUNT }), makeKey({ region: OTHER_REGION }));
        }
        // Insert interleaved, across several transactions, so seq is not contiguous per account.
        for (let i = 0; i < 7; i++) await seed(store, noise[2 * i]!, mine[i]!, noise[2 * i + 1]!);

        const seen: KeyRecord[] = [];
        let after: number | undefined;
        for (let page = 0; page < 10; page++) {
          const got = await store.transaction((tx) => tx.listKeys(ACCOUNT, REGION, after, 3));
          assert.ok(got.length <= 3);
          seen.push(...got);
          if (got.length < 3) break;
          after = got[got.length - 1]!.seq;
        }
        assert.deepEqual(seen.map((k) => k.keyId), mine.map((k) => k.keyId));
        assert.deepEqual(comparable(seen[0]!), comparable(mine[0]!));
        for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.seq! > seen[i - 1]!.seq!);

        const other = await store.transaction((tx) => tx.listKeys(OTHER_ACCOUNT, REGION, undefined, 100));
        const otherIds = noise.filter((k) => k.account === OTHER_ACCOUNT).map((k) => k.keyId);
        assert.deepEqual(other.map((k) => k.keyId), otherIds);
        const none = await store.transaction((tx) => tx.listKeys(OTHER_ACCOUNT, OTHER_REGION, undefined, 100));
        assert.deepEqual(none, []);
      });
    });

    test('keys: a deleted key leaves a gap; later keys still list after it', async () => {
      await withStore(async (store) => {
        const [a, b] = [makeKey(), makeKey()];
        await seed(store, a, b);
        const page1 = await store.transaction((tx) => tx.listKeys(ACCOUNT, REGION, undefined, 2));
        const marker = page1[1]!.seq;
        await store.transaction((tx) => tx.deleteKey(refOf(b)));
        const c = makeKey();
        await seed(store, c);
        const page2 = await store.transaction((tx) => tx.listKeys(ACCOUNT, REGION, marker, 10));
        assert.deepEqual(page2.map((k) => k.keyId), [c.keyId]);
      });
    });

    test('keys: the same key ID in two Regions is two independent records', async () => {
      await withStore(async (store) => {
        const east = makeKey({ multiRegion: true, description: 'east' });
        const west = makeKey({ ...refOf(east), region: OTHER_REGION, multiRegion: true, description: 'west' });
        await seed(store, east, west);
        await store.transaction(async (tx) => {
          await tx.putTags(refOf(east), [{ tagKey: 'only', tagValue: 'east' }]);
          await tx.insertAlias(alias(west, 'alias/shared'));
          await tx.updateKey({ ...west, description: 'west changed' });
        });
        await store.transaction(async (tx) => {
          assert.equal((await tx.getKey(refOf(east)))?.description, 'east');
          assert.equal((await tx.getKey(refOf(west)))?.description, 'west changed');
          assert.equal(await tx.countTags(refOf(west)), 0);
          assert.equal(await tx.countAliasesForKey(refOf(east)), 0);
          assert.equal(await tx.getAlias(ACCOUNT, REGION, 'alias/shared'), undefined);
          await tx.deleteKey(refOf(west));
        });
        await store.transaction(async (tx) => {
          assert.equal(await tx.getKey(refOf(west)), undefined);
          assert.equal((await tx.getKey(refOf(east)))?.description, 'east');
          assert.equal(await tx.countTags(refOf(east)), 1);
        });
      });
    });

    test('tags: putTags inserts and replaces by key; countTags counts', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        const other = makeKey();
        await seed(store, k, other);
        await store.transaction(async (tx) => {
          await tx.putTags(refOf(k), [
            { tagKey: 'Project', tagValue: 'alpha' },
            { tagKey: 'Owner', tagValue: '' },
          ]);
          await tx.putTags(refOf(other), [{ tagKey: 'Project', tagValue: 'other' }]);
        });
        await store.transaction(async (tx) => {
          await tx.putTags(refOf(k), [
            { tagKey: 'Project', tagValue: 'beta' },
            { tagKey: 'Cost', tagValue: '42' },
          ]);
          await tx.putTags(refOf(k), []);
        });
        await store.transaction(async (tx) => {
          assert.equal(await tx.countTags(refOf(k)), 3);
          assert.deepEqual(await tx.listTags(refOf(k), undefined, 10), [
            { tagKey: 'Cost', tagValue: '42' },
            { tagKey: 'Owner', tagValue: '' },
            { tagKey: 'Project', tagValue: 'beta' },
          ]);
          assert.deepEqual(await tx.listTags(refOf(other), undefined, 10), [{ tagKey: 'Project', tagValue: 'other' }]);
          assert.equal(await tx.countTags({ ...refOf(k), keyId: newKeyId() }), 0);
        });
      });
    });

    test('tags: listTags orders by code point and pages after afterTagKey (exclusive)', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        await seed(store, k);
        // Code-point (UTF-8 byte) order; U+FF5E precedes U+1F600 here, unlike UTF-16 code-unit order.
        const expected = ['0', 'B', 'Z', '_', 'a', 'a b', 'aa', 'ä', '～', '😀'];
        const shuffled = ['ä', 'B', '😀', 'a', '_', 'aa', 'Z', '～', '0', 'a b'];
        await store.transaction((tx) =>
          tx.putTags(refOf(k), shuffled.map((t, i): TagRecord => ({ tagKey: t, tagValue: `v${i}` }))),
        );
        await store.transaction(async (tx) => {
          const all = await tx.listTags(refOf(k), undefined, 100);
          assert.deepEqual(all.map((t) => t.tagKey), expected);
          assert.equal(all.find((t) => t.tagKey === '😀')?.tagValue, 'v2');

          const paged: string[] = [];
          let after: string | undefined;
          for (let i = 0; i < 10; i++) {
            const page = await tx.listTags(refOf(k), after, 3);
            paged.push(...page.map((t) => t.tagKey));
            if (page.length < 3) break;
            after = page[page.length - 1]!.tagKey;
          }
          assert.deepEqual(paged, expected);

          assert.deepEqual((await tx.listTags(refOf(k), 'a', 2)).map((t) => t.tagKey), ['a b', 'aa']);
          assert.deepEqual((await tx.listTags(refOf(k), 'absent-between', 2)).map((t) => t.tagKey), ['ä', '～']);
          assert.deepEqual(await tx.listTags(refOf(k), '😀', 5), []);
          assert.deepEqual((await tx.listTags(refOf(k), '', 1)).map((t) => t.tagKey), ['0']);
        });
      });
    });

    test('tags: deleteTags removes the named keys; absent keys are a no-op', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        await seed(store, k);
        await store.transaction((tx) =>
          tx.putTags(refOf(k), [
            { tagKey: 'a', tagValue: '1' },
            { tagKey: 'b', tagValue: '2' },
            { tagKey: 'c', tagValue: '3' },
          ]),
        );
        await store.transaction(async (tx) => {
          await tx.deleteTags(refOf(k), ['b', 'nope', 'B']);
          await tx.deleteTags(refOf(k), []);
          await tx.deleteTags({ ...refOf(k), keyId: newKeyId() }, ['a']);
        });
        await store.transaction(async (tx) => {
          assert.deepEqual((await tx.listTags(refOf(k), undefined, 10)).map((t) => t.tagKey), ['a', 'c']);
          assert.equal(await tx.countTags(refOf(k)), 2);
        });
      });
    });

    test('tags: tagsNow, where a store offers it, answers what listTags lists, before and after writes', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        await seed(store, k);
        const both = async (tx: Tx) => {
          const listed = await tx.listTags(refOf(k), undefined, 50);
          if (tx.tagsNow) assert.deepEqual([...tx.tagsNow(refOf(k))], listed);
          return listed.map((t) => `${t.tagKey}=${t.tagValue}`);
        };
        await store.transaction(async (tx) => {
          assert.deepEqual(await both(tx), []);
          await tx.putTags(refOf(k), [{ tagKey: 'team', tagValue: 'blue' }]);
          // Inside the writing transaction: its own uncommitted tag, never a stale cached empty list.
          assert.deepEqual(await both(tx), ['team=blue']);
        });
        await store.transaction(async (tx) => assert.deepEqual(await both(tx), ['team=blue']));
        await store.transaction((tx) => tx.putTags(refOf(k), [{ tagKey: 'team', tagValue: 'red' }]));
        await store.transaction(async (tx) => assert.deepEqual(await both(tx), ['team=red']));
        await store.transaction((tx) => tx.deleteTags(refOf(k), ['team']));
        await store.transaction(async (tx) => assert.deepEqual(await both(tx), []));
      });
    });

    test('aliases: insert, get, update, delete; duplicate insert rejects', async () => {
      await withStore(async (store) => {
        const [k1, k2] = [makeKey(), makeKey()];
        await seed(store, k1, k2);
        const a = alias(k1, 'alias/app', 1_000);
        await store.transaction((tx) => tx.insertAlias(a));
        await store.transaction(async (tx) => {
          assert.deepEqual(await tx.getAlias(ACCOUNT, REGION, 'alias/app'), a);
          assert.equal(await tx.getAlias(ACCOUNT, OTHER_REGION, 'alias/app'), undefined);
          assert.equal(await tx.getAlias(OTHER_ACCOUNT, REGION, 'alias/app'), undefined);
          assert.equal(await tx.getAlias(ACCOUNT, REGION, 'alias/App'), undefined);
        });
        await assert.rejects(store.transaction((tx) => tx.insertAlias(alias(k2, 'alias/app', 2_000))));

        const moved: AliasRecord = { ...a, targetKeyId: k2.keyId, updatedAt: 3_000 };
        await store.transaction((tx) => tx.updateAlias(moved));
        await store.transaction(async (tx) => {
          assert.deepEqual(await tx.getAlias(ACCOUNT, REGION, 'alias/app'), moved);
          assert.equal(await tx.countAliasesForKey(refOf(k1)), 0);
          assert.equal(await tx.countAliasesForKey(refOf(k2)), 1);
          await tx.deleteAlias(ACCOUNT, REGION, 'alias/app');
          await tx.deleteAlias(ACCOUNT, REGION, 'alias/app');
        });
        await store.transaction(async (tx) => {
          assert.equal(await tx.getAlias(ACCOUNT, REGION, 'alias/app'), undefined);
          assert.ok(await tx.getKey(refOf(k2)), 'deleting an alias keeps its key');
        });
      });
    });

    test('aliases: listAliases orders by name, filters by key, pages after afterName; countAliasesForKey', async () => {
      await withStore(async (store) => {
        const [k1, k2] = [makeKey(), makeKey()];
        const elsewhere = makeKey({ region: OTHER_REGION });
        await seed(store, k1, k2, elsewhere);
        const names1 = ['alias/b', 'alias/B', 'alias/_x', 'alias/ä'];
        const names2 = ['alias/a', 'alias/Z', 'alias/aa'];
        await store.transaction(async (tx) => {
          for (const n of names1) await tx.insertAlias(alias(k1, n));
          for (const n of names2) await tx.insertAlias(alias(k2, n));
          await tx.insertAlias(alias(elsewhere, 'alias/a'));
        });
        const all = ['alias/B', 'alias/Z', 'alias/_x', 'alias/a', 'alias/aa', 'alias/b', 'alias/ä'];
        await store.transaction(async (tx) => {
          const got = await tx.listAliases(ACCOUNT, REGION, undefined, undefined, 100);
          assert.deepEqual(got.map((a) => a.aliasName), all);
          assert.deepEqual(got[0], alias(k1, 'alias/B'));

          const paged: string[] = [];
          let after: string | undefined;
          for (let i = 0; i < 10; i++) {
            const page = await tx.listAliases(ACCOUNT, REGION, undefined, after, 2);
            paged.push(...page.map((a) => a.aliasName));
            if (page.length < 2) break;
            after = page[page.length - 1]!.aliasName;
          }
          assert.deepEqual(paged, all);

          const of1 = await tx.listAliases(ACCOUNT, REGION, k1.keyId, undefined, 100);
          assert.deepEqual(of1.map((a) => a.aliasName), ['alias/B', 'alias/_x', 'alias/b', 'alias/ä']);
          const of1After = await tx.listAliases(ACCOUNT, REGION, k1.keyId, 'alias/_x', 1);
          assert.deepEqual(of1After.map((a) => a.aliasName), ['alias/b']);
          assert.deepEqual(await tx.listAliases(ACCOUNT, REGION, newKeyId(), undefined, 100), []);

          const west = await tx.listAliases(ACCOUNT, OTHER_REGION, undefined, undefined, 100);
          assert.deepEqual(west, [alias(elsewhere, 'alias/a')]);
          assert.deepEqual(await tx.listAliases(OTHER_ACCOUNT, REGION, undefined, undefined, 100), []);

          assert.equal(await tx.countAliasesForKey(refOf(k1)), 4);
          assert.equal(await tx.countAliasesForKey(refOf(k2)), 3);
          assert.equal(await tx.countAliasesForKey({ ...refOf(k1), region: OTHER_REGION }), 0);
        });
      });
    });

    test('deleteKey removes the key’s tags and aliases, and only those', async () => {
      await withStore(async (store) => {
        const [doomed, kept] = [makeKey(), makeKey()];
        await seed(store, doomed, kept);
        await store.transaction(async (tx) => {
          await tx.putTags(refOf(doomed), [{ tagKey: 't', tagValue: '1' }]);
          await tx.putTags(refOf(kept), [{ tagKey: 't', tagValue: '2' }]);
          await tx.insertAlias(alias(doomed, 'alias/doomed'));
          await tx.insertAlias(alias(kept, 'alias/kept'));
        });
        await store.transaction((tx) => tx.deleteKey(refOf(doomed)));
        await store.transaction(async (tx) => {
          assert.equal(await tx.countTags(refOf(doomed)), 0);
          assert.deepEqual(await tx.listTags(refOf(doomed), undefined, 10), []);
          assert.equal(await tx.getAlias(ACCOUNT, REGION, 'alias/doomed'), undefined);
          assert.equal(await tx.countAliasesForKey(refOf(doomed)), 0);
          assert.equal(await tx.countTags(refOf(kept)), 1);
          assert.deepEqual(
            (await tx.listAliases(ACCOUNT, REGION, undefined, undefined, 10)).map((a) => a.aliasName),
            ['alias/kept'],
          );
        });
        // The key ID is free again, with no tags or aliases resurrected.
        await seed(store, makeKey({ ...refOf(doomed) }));
        await store.transaction(async (tx) => {
          assert.equal(await tx.countTags(refOf(doomed)), 0);
          assert.equal(await tx.countAliasesForKey(refOf(doomed)), 0);
        });
      });
    });

    test('listKeysDueForDeletion: PendingDeletion keys due at or before now, any account and Region', async () => {
      await withStore(async (store) => {
        const now = 1_750_000_000_000;
        const pending = (over: Partial<KeyRecord>) => makeKey({ keyState: 'PendingDeletion', ...over });
        const due = [
          pending({ deletionDate: now - 86_400_000 }),
          pending({ deletionDate: now }),
          pending({ deletionDate: now - 1, account: OTHER_ACCOUNT }),
          pending({ deletionDate: now - 5, region: OTHER_REGION }),
        ];
        const notDue = [
          pending({ deletionDate: now + 1 }),
          makeKey({ keyState: 'Enabled' }),
          makeKey({ keyState: 'Disabled', deletionDate: now - 10 }),
          makeKey({ keyState: 'PendingReplicaDeletion', deletionDate: now - 10, pendingDeletionWindowInDays: 7 }),
        ];
        await seed(store, notDue[0]!, due[0]!, notDue[1]!, due[1]!, due[2]!, notDue[2]!, due[3]!, notDue[3]!);
        const got = await store.transaction((tx) => tx.listKeysDueForDeletion(now));
        const key = (r: KeyRef) => `${r.account}/${r.region}/${r.keyId}`;
        assert.deepEqual(got.map((r) => key(refOf(r))).sort(), due.map((k) => key(refOf(k))).sort());
        assert.deepEqual(await store.transaction((tx) => tx.listKeysDueForDeletion(now - 86_400_001)), []);
      });
    });

    test('materials: put round-trips every field, upserts by materialId, lists in insertion order, deletes', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        await seed(store, k);
        const full = material(k, 'b'.repeat(64), {
          rotationType: 'ON_DEMAND',
          state: 'PENDING_ROTATION',
          importState: 'IMPORTED',
          description: 'imported — ü',
          expirationModel: 'KEY_MATERIAL_EXPIRES',
          validTo: 1_800_000_000_000,
          wrapped: Buffer.from([1, 2, 3]),
          publicKey: Buffer.from([4, 5]),
          fingerprint: Buffer.from([6]),
        });
        const first = material(k, 'a'.repeat(64));
        await store.transaction(async (tx) => {
          await tx.putMaterial(first);
          await tx.putMaterial(full);
        });
        await store.transaction(async (tx) => {
          const all = await tx.listMaterials(refOf(k));
          assert.deepEqual(all.map((m) => m.materialId), [first.materialId, full.materialId]);
          const got = await tx.getMaterial(refOf(k), full.materialId);
          assert.ok(got && typeof got.seq === 'number');
          const { seq: _seq, ...rest } = got;
          assert.deepEqual({ ...rest, wrapped: Buffer.from(rest.wrapped!), publicKey: Buffer.from(rest.publicKey!), fingerprint: Buffer.from(rest.fingerprint!) }, full);
          const bare = await tx.getMaterial(refOf(k), first.materialId);
          for (const f of ['rotationType', 'importState', 'description', 'expirationModel', 'validTo', 'wrapped', 'publicKey', 'fingerprint'] as const) {
            assert.equal(bare![f], undefined, f);
          }
          assert.equal(await tx.getMaterial(refOf(k), 'c'.repeat(64)), undefined);
          // Upsert keeps the position and replaces every field, absent ones included.
          await tx.putMaterial(material(k, full.materialId, { state: 'CURRENT' }));
        });
        await store.transaction(async (tx) => {
          const all = await tx.listMaterials(refOf(k));
          assert.deepEqual(all.map((m) => [m.materialId, m.state, m.wrapped]), [
            [first.materialId, 'CURRENT', undefined],
            [full.materialId, 'CURRENT', undefined],
          ]);
          await tx.deleteMaterial(refOf(k), first.materialId);
        });
        const left = await store.transaction((tx) => tx.listMaterials(refOf(k)));
        assert.deepEqual(left.map((m) => m.materialId), [full.materialId]);
      });
    });

    test('listKeysDueForRotation and listKeysWithExpiredMaterial: due at or before now, any account and Region', async () => {
      await withStore(async (store) => {
        const now = 1_750_000_000_000;
        const rotating = [makeKey({ nextRotationAt: now, rotationPeriodInDays: 90 }), makeKey({ nextRotationAt: now - 1, account: OTHER_ACCOUNT })];
        const notRotating = [makeKey({ nextRotationAt: now + 1, rotationPeriodInDays: 365 }), makeKey()];
        const expiring = makeKey({ origin: 'EXTERNAL' });
        const later = makeKey({ origin: 'EXTERNAL', region: OTHER_REGION });
        const gone = makeKey({ origin: 'EXTERNAL' });
        await seed(store, ...rotating, ...notRotating, expiring, later, gone);
        await store.transaction(async (tx) => {
          await tx.putMaterial(material(expiring, 'a'.repeat(64), { validTo: now, wrapped: Buffer.from([1]) }));
          await tx.putMaterial(material(later, 'a'.repeat(64), { validTo: now + 1, wrapped: Buffer.from([1]) }));
          // Already expired: the secret is gone, so nothing is left to expire.
          await tx.putMaterial(material(gone, 'a'.repeat(64), { validTo: now - 5 }));
        });
        const key = (r: KeyRef) => `${r.account}/${r.region}/${r.keyId}`;
        const due = await store.transaction((tx) => tx.listKeysDueForRotation(now));
        assert.deepEqual(due.map(key).sort(), rotating.map(key).sort());
        const expired = await store.transaction((tx) => tx.listKeysWithExpiredMaterial(now));
        assert.deepEqual(expired.map(key), [key(expiring)]);
      });
    });

    test('key usage: newest record wins; records for absent keys are dropped; deleteKey cascades materials and usage', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        await seed(store, k);
        const use = (operation: string, usedAt: number, ref: KeyRef = k) => ({ ...refOf(ref), operation, usedAt, requestId: `r-${usedAt}` });
        await store.transaction((tx) => tx.putKeyUsage([use('Encrypt', 2000), use('Decrypt', 1000), use('Sign', 5, makeKey())]));
        assert.deepEqual(await store.transaction((tx) => tx.getKeyUsage(refOf(k))), use('Encrypt', 2000));
        await store.transaction((tx) => tx.putKeyUsage([use('Decrypt', 3000)]));
        assert.deepEqual(await store.transaction((tx) => tx.getKeyUsage(refOf(k))), use('Decrypt', 3000));
        await store.transaction(async (tx) => {
          await tx.putMaterial(material(k, 'a'.repeat(64)));
          await tx.deleteKey(refOf(k));
        });
        await seed(store, makeKey({ ...refOf(k) }));
        await store.transaction(async (tx) => {
          assert.equal(await tx.getKeyUsage(refOf(k)), undefined);
          assert.deepEqual(await tx.listMaterials(refOf(k)), []);
        });
      });
    });

    test('meta: get returns undefined until set; set overwrites', async () => {
      await withStore(async (store) => {
        await store.transaction(async (tx) => {
          assert.equal(await tx.getMeta('marker-secret'), undefined);
          await tx.setMeta('marker-secret', 'one');
          await tx.setMeta('other', '');
        });
        await store.transaction((tx) => tx.setMeta('marker-secret', 'two'));
        await store.transaction(async (tx) => {
          assert.equal(await tx.getMeta('marker-secret'), 'two');
          assert.equal(await tx.getMeta('other'), '');
        });
      });
    });

    test('transaction: resolves with fn’s result; a throwing fn rolls back everything and rethrows', async () => {
      await withStore(async (store) => {
        const existing = makeKey();
        await seed(store, existing);
        assert.equal(await store.transaction(async () => 42), 42);

        const boom = new Error('boom');
        const fresh = makeKey();
        const thrown = await store
          .transaction(async (tx) => {
            await tx.insertKey(fresh);
            await tx.putTags(refOf(existing), [{ tagKey: 'x', tagValue: 'y' }]);
            await tx.insertAlias(alias(existing, 'alias/rolled-back'));
            await tx.updateKey({ ...existing, description: 'changed' });
            await tx.setMeta('rolled-back', 'yes');
            throw boom;
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        assert.equal(thrown, boom);

        const thrownValue = await store.transaction(() => Promise.reject('not an Error')).catch((e: unknown) => e);
        assert.equal(thrownValue, 'not an Error');

        await store.transaction(async (tx) => {
          assert.equal(await tx.getKey(refOf(fresh)), undefined);
          assert.equal(await tx.countTags(refOf(existing)), 0);
          assert.equal(await tx.getAlias(ACCOUNT, REGION, 'alias/rolled-back'), undefined);
          assert.equal((await tx.getKey(refOf(existing)))?.description, existing.description);
          assert.equal(await tx.getMeta('rolled-back'), undefined);
          assert.deepEqual(
            (await tx.listKeys(ACCOUNT, REGION, undefined, 10)).map((k) => k.keyId),
            [existing.keyId],
          );
        });
      });
    });

    test('transaction: 200 concurrent read-then-write transactions are serialized (50-tag limit holds)', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        await seed(store, k);
        const ref = refOf(k);
        const added = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            store.transaction(async (tx) => {
              const n = await tx.countTags(ref);
              // Give a non-serializing implementation every chance to interleave.
              await Promise.resolve();
              if (n >= 50) return false;
              await tx.putTags(ref, [{ tagKey: `tag-${String(i).padStart(3, '0')}`, tagValue: String(n) }]);
              return true;
            }),
          ),
        );
        assert.equal(added.filter(Boolean).length, 50);
        const tags = await store.transaction((tx) => tx.listTags(ref, undefined, 100));
        assert.equal(tags.length, 50);
        // Each writer saw all earlier writes: the counts it read are 0..49 exactly once.
        const seenCounts = tags.map((t) => Number(t.tagValue)).sort((a, b) => a - b);
        assert.deepEqual(seenCounts, Array.from({ length: 50 }, (_, i) => i));
      });
    });

    test('concurrent transactions each commit or roll back whole: the failing ones change nothing, the rest stay', async () => {
      await withStore(async (store, sut) => {
        const k = makeKey();
        await seed(store, k);
        const ref = refOf(k);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 40 }, (_, i) =>
            store.transaction(async (tx) => {
              await tx.putTags(ref, [{ tagKey: `t${String(i).padStart(2, '0')}`, tagValue: 'v' }]);
              await tx.setMeta(`m${i}`, 'x');
              if (i % 3 === 0) throw new Error(`fail ${i}`);
              return i;
            }),
          ),
        );
        const kept = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
        assert.deepEqual(kept, Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 !== 0));
        const check = async (s: Store) =>
          s.transaction(async (tx) => {
            assert.deepEqual((await tx.listTags(ref, undefined, 50)).map((t) => Number(t.tagKey.slice(1))), kept);
            for (let i = 0; i < 40; i++) assert.equal(await tx.getMeta(`m${i}`), i % 3 === 0 ? undefined : 'x');
          });
        await check(store);
        if (sut.reopen) {
          // What was answered as committed is on disk, not only in a cache.
          await store.close();
          const again = await sut.reopen();
          try {
            await check(again);
          } finally {
            await again.close();
          }
        }
      });
    });

    test('reads after a rolled-back write see the committed state, even when read before it', async () => {
      await withStore(async (store) => {
        const k = makeKey({ description: 'committed' });
        await seed(store, k);
        await store.transaction((tx) => tx.putTags(refOf(k), [{ tagKey: 'a', tagValue: '1' }]));
        // Read first, so a caching store holds the committed state before the failed write.
        await store.transaction(async (tx) => {
          await tx.getKey(refOf(k));
          await tx.listTags(refOf(k), undefined, 50);
        });
        const boom = new Error('boom');
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.updateKey({ ...k, description: 'uncommitted' });
            await tx.putTags(refOf(k), [{ tagKey: 'b', tagValue: '2' }]);
            await tx.deleteTags(refOf(k), ['a']);
            // Reads after a write inside the transaction see it…
            assert.equal((await tx.getKey(refOf(k)))?.description, 'uncommitted');
            assert.deepEqual(await tx.listTags(refOf(k), undefined, 50), [{ tagKey: 'b', tagValue: '2' }]);
            assert.equal(await tx.countTags(refOf(k)), 1);
            throw boom;
          }),
          boom,
        );
        // …and nothing of it survives the rollback.
        await store.transaction(async (tx) => {
          assert.equal((await tx.getKey(refOf(k)))?.description, 'committed');
          assert.deepEqual(await tx.listTags(refOf(k), undefined, 50), [{ tagKey: 'a', tagValue: '1' }]);
          assert.equal(await tx.countTags(refOf(k)), 1);
        });
      });
    });

    test('reads see every committed write that follows them', async () => {
      await withStore(async (store) => {
        const k = makeKey({ description: 'v1' });
        const read = () =>
          store.transaction(async (tx) => ({
            key: await tx.getKey(refOf(k)),
            tags: await tx.listTags(refOf(k), undefined, 50),
            count: await tx.countTags(refOf(k)),
          }));
        assert.deepEqual(await read(), { key: undefined, tags: [], count: 0 });
        await seed(store, k);
        assert.equal((await read()).key?.description, 'v1');
        await store.transaction((tx) => tx.updateKey({ ...k, description: 'v2' }));
        assert.equal((await read()).key?.description, 'v2');
        await store.transaction((tx) => tx.putTags(refOf(k), [{ tagKey: 'x', tagValue: '1' }, { tagKey: 'y', tagValue: '2' }]));
        assert.deepEqual((await read()).tags, [{ tagKey: 'x', tagValue: '1' }, { tagKey: 'y', tagValue: '2' }]);
        await store.transaction((tx) => tx.deleteTags(refOf(k), ['x']));
        assert.equal((await read()).count, 1);
        await store.transaction((tx) => tx.deleteKey(refOf(k)));
        assert.deepEqual(await read(), { key: undefined, tags: [], count: 0 });
      });
    });

    test('tags: paging resumes correctly when the marker tag was deleted in between', async () => {
      await withStore(async (store) => {
        const k = makeKey();
        await seed(store, k);
        await store.transaction((tx) => tx.putTags(refOf(k), ['a', 'b', 'c', 'd'].map((t) => ({ tagKey: t, tagValue: t }))));
        const first = await store.transaction((tx) => tx.listTags(refOf(k), undefined, 2));
        assert.deepEqual(first.map((t) => t.tagKey), ['a', 'b']);
        await store.transaction((tx) => tx.deleteTags(refOf(k), ['b']));
        const rest = await store.transaction((tx) => tx.listTags(refOf(k), 'b', 2));
        assert.deepEqual(rest.map((t) => t.tagKey), ['c', 'd']);
      });
    });

    runGrantContract(withStore, seed, makeKey);

    // Registered only for stores that can reopen their data, so an in-memory store shows no skipped test.
    const persistence = persistent ? test : () => undefined;
    persistence('persistence: records survive close and reopen', async () => {
      const sut = await open();
      try {
        if (!sut.reopen) throw new Error(`${name} claims to persist but offers no reopen()`);
        const k = makeKey({ description: 'durable', deletionDate: 1_702_592_000_000, keyState: 'PendingDeletion' });
        await seed(sut.store, k);
        await sut.store.transaction(async (tx) => {
          await tx.putTags(refOf(k), [{ tagKey: 'a', tagValue: 'b' }]);
          await tx.insertAlias(alias(k, 'alias/durable'));
          await tx.setMeta('m', 'v');
        });
        await sut.store.close();
        const again = await sut.reopen();
        await again.transaction(async (tx) => {
          const got = await tx.getKey(refOf(k));
          assert.ok(got);
          assert.deepEqual(comparable(got), comparable(k));
          assert.deepEqual(await tx.listTags(refOf(k), undefined, 10), [{ tagKey: 'a', tagValue: 'b' }]);
          assert.deepEqual(await tx.getAlias(ACCOUNT, REGION, 'alias/durable'), alias(k, 'alias/durable'));
          assert.equal(await tx.getMeta('m'), 'v');
        });
        // seq keeps increasing after a reopen.
        const later = makeKey();
        await seed(again, later);
        const listed = await again.transaction((tx) => tx.listKeys(ACCOUNT, REGION, undefined, 10));
        assert.deepEqual(listed.map((x) => x.keyId), [k.keyId, later.keyId]);
        await again.close();
      } finally {
        await sut.cleanup();
      }
    });
  });
}
