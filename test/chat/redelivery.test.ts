import { untilDrained } from '../support/queues';
import { startTestService, testWorld, type TestService } from '../support/service';
import { simClient } from '../support/sim';

// The same platform message delivered 10 times, 5 of them at once: one order, one reply.
const world = testWorld('redelivery');
let t: TestService;
beforeAll(async () => {
  t = await startTestService(world.env);
});
afterAll(async () => {
  await t?.stop();
  await world.cleanup();
});

test('ten deliveries of one 「确认」 make one order and one reply', async () => {
  const sim = simClient(t);
  await sim.say('r-wang', '后天上午想请人帮我修一下卫生间的灯');
  await sim.next('r-wang', '还是去');
  await sim.say('r-wang', '是');
  await sim.next('r-wang', '请核对');
  const deliver = () => t.http.post('/sim/messages').send({ from: 'r-wang', text: '确认', messageId: 'wx-4561255354251345929' });
  const concurrent = await Promise.all(Array.from({ length: 5 }, deliver));
  const sequential = [];
  for (let i = 0; i < 5; i++) sequential.push(await deliver());
  const ids = new Set([...concurrent, ...sequential].map((r) => (r.status === 202 ? r.body.id : `status ${r.status}`)));
  expect([...ids]).toHaveLength(1);
  await sim.next('r-wang', '已为您下单');
  await untilDrained(t.config, ['inbound']); // every delivery has been handled: a second reply would be there
  const after = await sim.all('r-wang');
  expect(after.filter((m) => m.text.includes('已为您下单'))).toHaveLength(1);
  const { rows } = await t.service.db.query(`SELECT 1 FROM orders WHERE resident_id = 'r-wang'`);
  expect(rows).toHaveLength(1);
});
