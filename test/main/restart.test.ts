import { startTestService, testWorld } from '../support/service';
import { simClient } from '../support/sim';

// Conversation state lives in Redis: a service restart in the middle of intake resumes the draft.
const world = testWorld('restart');
afterAll(() => world.cleanup());

test('a restart in the middle of intake resumes the draft', async () => {
  const first = await startTestService(world.env);
  try {
    const sim1 = simClient(first);
    await sim1.say('r-ma', '周六上午想请人来家里打扫一下卫生');
    const ask = await sim1.next('r-ma', '地址');
    expect(ask.text).toContain('号楼');
  } finally {
    await first.stop();
  }

  const second = await startTestService(world.env);
  try {
    const sim2 = simClient(second);
    await sim2.next('r-ma', '地址'); // skip what was said before the restart
    await sim2.say('r-ma', '7号楼1单元201');
    await sim2.next('r-ma', '电话');
    await sim2.say('r-ma', '电话是 139 0631 2288');
    const readBack = await sim2.next('r-ma', '请核对');
    expect(readBack.text).toContain('清洁家政');
    expect(readBack.text).toContain('7号楼1单元201');
    expect(readBack.text).toContain('13906312288');
    await sim2.say('r-ma', '确认');
    await sim2.next('r-ma', '已为您下单');
  } finally {
    await second.stop();
  }
});

test('after 30 minutes of silence the draft is kept and the resident is told so', async () => {
  let now = new Date('2026-06-04T02:00:00Z');
  const t = await startTestService(world.env, { now: () => now });
  try {
    const sim = simClient(t);
    await sim.say('r-huang', '想找个懂法律的人咨询一下房子继承的事');
    await sim.next('r-huang', '什么时候');
    now = new Date(now.getTime() + 45 * 60_000);
    await sim.say('r-huang', '下周一上午十点');
    const back = await sim.next('r-huang', '留着');
    expect(back.text).toContain('还没提交');
    await sim.next('r-huang', '还是去');
    await sim.say('r-huang', '取消');
    await sim.next('r-huang', '已经取消');
  } finally {
    await t.stop();
  }
});
