import fc from 'fast-check';
import { openDatabase, type Database } from '../../src/platform/db';
import { creditServiceHours, getBalance, getEntries, volunteerAccount } from '../../src/orders/ledger';
import { migrateDatabase } from '../../src/main';
import { seedDirectory } from '../../src/directory/seed';
import { insertOrder } from '../../src/orders/store';
import { testWorld } from '../support/service';

// The time bank on the real database: whatever credits arrive, in any order, repeated or concurrent,
// every balance equals the sum of its entries, every transaction balances, and an order credits once.
const world = testWorld('ledger');
let database: Database;
const orderIds: string[] = [];
const VOLUNTEERS = ['v-li', 'v-zhang', 'v-xu'];

beforeAll(async () => {
  database = await openDatabase({ url: world.env.DATABASE_URL ?? null, dataDir: 'memory://', schema: world.env.DATABASE_SCHEMA });
  await migrateDatabase(database.db);
  await seedDirectory(database.db);
  for (let i = 0; i < 8; i++) {
    const o = await insertOrder(
      database.db,
      { residentId: 'r-wang', createdBy: 'r-wang', communityId: 'dongbeicun', gridId: null, category: 'errand', description: '', urgent: false,
        wantedAt: null, plannedHours: 1, lat: 0, lng: 0, area: '', address: '', phone: null },
      () => String(300000 + i),
      { id: 'r-wang', channel: 'test' },
    );
    orderIds.push(o.id);
  }
});
afterAll(async () => {
  await database?.close();
  await world.cleanup();
});

test('balances equal the sum of entries and each order is credited at most once', async () => {
  const credit = fc.record({
    order: fc.integer({ min: 0, max: orderIds.length - 1 }),
    volunteer: fc.constantFrom(...VOLUNTEERS),
    hours: fc.double({ min: 0.25, max: 12, noNaN: true }).map((h) => Math.round(h * 4) / 4),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(credit, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), async (batches) => {
      await database.db.query('DELETE FROM ledger_entries; DELETE FROM ledger_transactions');
      const firstCredit = new Map<number, { volunteer: string; hours: number }>();
      for (const batch of batches) {
        // A batch arrives concurrently, like retried jobs racing each other.
        const results = await Promise.all(batch.map((c) => creditServiceHours(database.db, orderIds[c.order]!, c.volunteer, c.hours)));
        batch.forEach((c, i) => {
          if (results[i]) {
            expect(firstCredit.has(c.order)).toBe(false);
            firstCredit.set(c.order, c);
          }
        });
      }
      expect(new Set(batches.flat().map((c) => c.order)).size).toBe(firstCredit.size);
      for (const v of VOLUNTEERS) {
        const entries = await getEntries(database.db, { account: volunteerAccount(v) });
        const expected = [...firstCredit.values()].filter((c) => c.volunteer === v).reduce((s, c) => s + c.hours, 0);
        expect(await getBalance(database.db, volunteerAccount(v))).toBeCloseTo(entries.reduce((s, e) => s + e.hours, 0), 9);
        expect(await getBalance(database.db, volunteerAccount(v))).toBeCloseTo(expected, 9);
      }
      const { rows } = await database.db.query<{ total: string }>('SELECT COALESCE(sum(hours), 0) AS total FROM ledger_entries');
      expect(Number(rows[0]!.total)).toBe(0);
    }),
    { numRuns: 40 },
  );
});
