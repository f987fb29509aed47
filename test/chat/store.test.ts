import { openDatabase, type Database } from '../../src/platform/db';
import { listConversation, recordOutbound } from '../../src/chat/store';
import { migrateDatabase } from '../../src/main';
import { testWorld } from '../support/service';

// Message ids are bigints shown as text: the simulator's oldest-first order and its `after` cursor must
// follow the numbers (9 before 10), not the text ('10' before '9').
const world = testWorld('messages');
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ url: world.env.DATABASE_URL ?? null, dataDir: 'memory://', schema: world.env.DATABASE_SCHEMA });
  await migrateDatabase(database.db);
});
afterAll(async () => {
  await database?.close();
  await world.cleanup();
});

test('a conversation lists oldest first by number across a change of digit count', async () => {
  for (let i = 1; i <= 12; i++) await recordOutbound(database.db, { personId: 'p1', roomId: null, text: `第${i}条`, mentions: [] });
  const all = await listConversation(database.db, { personId: 'p1' }, '0', { withInbound: false });
  expect(all.map((m) => m.text)).toEqual(Array.from({ length: 12 }, (_, i) => `第${i + 1}条`));
  const after = await listConversation(database.db, { personId: 'p1' }, all[8]!.id, { withInbound: false });
  expect(after.map((m) => m.text)).toEqual(['第10条', '第11条', '第12条']);
});
