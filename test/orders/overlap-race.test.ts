import { insertOrder } from '../../src/orders/store';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually, simClient } from '../support/sim';

// A volunteer claims one order while a worker assigns them another at an overlapping time, at the same moment
// (two senders, so nothing in chat orders them): both are judged under a lock on the volunteer, so one takes and
// the other is refused as a clash, every time.
const world = testWorld('overlap');
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ ...world.env, CHECKIN_SCHEDULE: 'false' });
});
afterAll(async () => {
  await t?.stop();
  await world.cleanup();
});

const ROUNDS = 8;
const HOUR = 3600_000;

test('a claim and an assignment of overlapping orders to one volunteer at once: exactly one is theirs', async () => {
  const sim = simClient(t);
  const db = t.service.db;
  for (let round = 0; round < ROUNDS; round++) {
    const volunteer = round % 2 === 0 ? 'v-li' : 'v-wang';
    const start = Date.now() + (24 + round * 6) * HOUR;
    const nos = [String(620000 + round * 2), String(620001 + round * 2)];
    for (const [i, no] of nos.entries()) {
      const order = await insertOrder(
        db,
        { residentId: 'r-huang', createdBy: 'r-huang', communityId: 'dongbeicun', gridId: 'dongbeicun-g2', category: 'errand', description: '代买药',
          urgent: false, wantedAt: new Date(start + i * HOUR), plannedHours: 2, lat: 37.505, lng: 122.12, area: '东北村社区 11号楼附近',
          address: '11号楼2单元401', phone: null },
        () => no,
        { id: 'r-huang', channel: 'test' },
      );
      await db.query(`UPDATE orders SET status = 'offered', version = 1 WHERE id = $1`, [order.id]);
    }
    const [claimNo, assignNo] = nos as [string, string];
    await Promise.all([sim.say(volunteer, `接单 ${claimNo}`), sim.say('w-zhao', `派单 ${assignNo} @${volunteer}`)]);
    // One takes; the other hears of the clash (the volunteer for a claim, the worker for an assignment).
    const outcome = await eventually(async () => {
      const mine = (await sim.all(volunteer)).filter((m) => nos.some((no) => m.text.includes(no)));
      const worker = (await sim.all('w-zhao')).filter((m) => m.text.includes(assignNo));
      const taken = mine.filter((m) => m.text.includes('接单成功')).length;
      const clashes = [...mine, ...worker].filter((m) => m.text.includes('时间冲突')).length;
      return taken + clashes >= 2 ? { taken, clashes } : null;
    }, 30_000, 'both answers');
    expect(outcome).toEqual({ taken: 1, clashes: 1 });
    const { rows } = await db.query(`SELECT no FROM orders WHERE no = ANY($1) AND volunteer_id = $2 AND status = 'claimed'`, [nos, volunteer]);
    expect(rows).toHaveLength(1);
  }
});
