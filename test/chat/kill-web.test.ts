import { openDatabase } from '../../src/platform/db';
import { needsServer, serverUrl } from '../support/needs-server';
import { spawnService } from '../support/process';
import { untilDrained } from '../support/queues';
import { startTestService, testWorld } from '../support/service';
import { eventually } from '../support/sim';

// The process taking messages is SIGKILLed right after accepting some: each message is then handled
// exactly once, or its sender got an error and resends it (same messageId), and it is handled once.
const world = testWorld('killweb');
const env: Record<string, string> = { ...world.env, QUEUE_LOCK_MS: '1000' };
afterAll(() => world.cleanup());

const SENDERS = ['r-wang', 'r-chen', 'r-yang', 'r-huang', 'r-liang', 'r-ma', 'v-li', 'v-zhang', 'v-xu', 'v-qian', 'w-zhao', 'w-liu', 's-sun', 'bl-tan', 'bl-zhou'];

needsServer('a SIGKILLed web process and its successor share one database; PGlite lives inside a single process')('no message is lost or answered twice when the process dies right after accepting it', async () => {
  const first = await spawnService(env);
  const sent = SENDERS.map((from, i) => ({ from, messageId: `m-${i}`, accepted: false }));
  // Fire every message at once and kill the process as soon as the first is accepted.
  const posts = sent.map(async (m) => {
    try {
      const res = await first.http.post('/sim/messages').send({ from: m.from, text: '帮助', messageId: m.messageId }).timeout(5000);
      m.accepted = res.status === 202;
      if (m.accepted) first.child.kill('SIGKILL');
    } catch {
      m.accepted = false; // connection reset: the sender sees an error and will resend
    }
  });
  await Promise.all(posts);
  first.child.kill('SIGKILL');
  await first.exited;

  const second = await startTestService(env);
  const database = await openDatabase({ url: serverUrl!, dataDir: 'memory://', schema: env.DATABASE_SCHEMA });
  try {
    for (const m of sent.filter((s) => !s.accepted)) {
      const res = await second.http.post('/sim/messages').send({ from: m.from, text: '帮助', messageId: m.messageId });
      expect(res.status).toBe(202);
    }
    const replies = async () =>
      (await database.db.query<{ person_id: string; n: number }>(
        `SELECT person_id, count(*)::int AS n FROM messages WHERE direction = 'out' AND room_id IS NULL GROUP BY person_id`,
      )).rows;
    await eventually(async () => (await replies()).length === SENDERS.length, 20_000, 'a reply to everyone');
    // Every message is handled and no job is left: a half-done job of the killed process stays active until
    // its lock runs out and the second process runs it again, so a duplicate reply would be written by now.
    await eventually(async () => (await database.db.query(`SELECT 1 FROM messages WHERE direction = 'in' AND status <> 'done'`)).rows.length === 0, 20_000, 'every message handled');
    await untilDrained(second.config, ['inbound']);
    expect((await replies()).every((r) => r.n === 1)).toBe(true);
    const inbound = await database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'in'`);
    expect(inbound.rows[0]!.n).toBe(SENDERS.length);
    expect(sent.some((s) => s.accepted)).toBe(true);
  } finally {
    await database.close();
    await second.stop();
  }
});
