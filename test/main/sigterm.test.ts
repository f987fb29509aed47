import { openDatabase } from '../../src/platform/db';
import { needsServer, serverUrl } from '../support/needs-server';
import { spawnService } from '../support/process';
import { testWorld } from '../support/service';

// SIGTERM drains: no new messages are taken, what is in flight finishes, and the process exits 0.
const world = testWorld('sigterm');
afterAll(() => world.cleanup());

needsServer('the test reads the database of the service it signals in another process; PGlite lives inside that process')('SIGTERM finishes the messages in flight, refuses new ones, and exits 0', async () => {
  const service = await spawnService(world.env);
  const database = await openDatabase({ url: serverUrl!, dataDir: 'memory://', schema: world.env.DATABASE_SCHEMA });
  try {
    const senders = ['r-wang', 'r-chen', 'r-yang', 'v-li', 'v-zhang', 'w-zhao'];
    for (const from of senders) {
      expect((await service.http.post('/sim/messages').send({ from, text: '帮助' })).status).toBe(202);
    }
    service.child.kill('SIGTERM');
    const refused = await service.http
      .post('/sim/messages')
      .send({ from: 'r-huang', text: '帮助' })
      .then((r) => r.status, () => 'refused');
    expect(refused).not.toBe(202);
    expect(await service.exited).toBe(0);
    const { rows } = await database.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM messages WHERE direction = 'in' GROUP BY status`,
    );
    expect(rows).toEqual([{ status: 'done', n: senders.length }]);
    const replies = await database.db.query(`SELECT DISTINCT person_id FROM messages WHERE direction = 'out'`);
    expect(replies.rows).toHaveLength(senders.length);
  } finally {
    service.child.kill('SIGKILL');
    await database.close();
  }
});
