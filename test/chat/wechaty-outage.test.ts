import { WechatyBuilder } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { bindIdentity } from '../../src/directory/store';
import { startRedisServer } from '../support/redis-server';
import { startTestService, testWorld } from '../support/service';
import { eventually } from '../support/sim';

// A WeChat message that arrives while Redis is down is stored before anything touches Redis, and answered
// once when Redis is back: the sweep queues it. (Through the mock puppet, on a private redis-server.)
const world = testWorld('wxoutage');
afterAll(() => world.cleanup());

test('a WeChat message during a Redis outage is answered once after Redis returns', async () => {
  let redis = await startRedisServer();
  let down = false;
  const mocker = new mock.Mocker();
  const botUser = mocker.createContact({ name: '邻里助手' });
  const volunteer = mocker.createContact({ name: '李建军' });
  const bot = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
  const t = await startTestService({ ...world.env, REDIS_URL: redis.url, CHANNELS: 'sim,wechaty' }, { wechatyBot: bot });
  try {
    await bindIdentity(t.service.db, 'wechaty', volunteer.id, 'person', 'v-li');
    const loggedIn = new Promise((resolve) => bot.once('login', resolve));
    mocker.login(botUser);
    await loggedIn;
    const said: string[] = [];
    volunteer.on('message', (m) => void said.push(m.text() ?? ''));

    await redis.stop();
    down = true;
    volunteer.say('帮助').to(botUser);
    // Stored while Redis is away, not yet answered.
    await eventually(async () => (await t.service.db.query(`SELECT 1 FROM messages WHERE direction = 'in' AND channel = 'wechaty'`)).rows.length === 1, 10_000, 'the message to be stored');
    const answers = () => said.filter((s) => s.includes('接单'));
    expect(answers()).toEqual([]);

    redis = await startRedisServer([], redis.port);
    down = false;
    await eventually(async () => answers().length > 0, 30_000, 'the answer after Redis returns');
    // Answered once: the stored message is done and nothing else is on its way.
    await eventually(async () => (await t.service.db.query(`SELECT 1 FROM messages WHERE direction = 'in' AND status = 'done'`)).rows.length === 1, 10_000, 'handled');
    await eventually(async () => (await t.service.db.query(`SELECT 1 FROM deliveries WHERE status = 'pending'`)).rows.length === 0, 10_000, 'delivered');
    expect(answers()).toHaveLength(1);
  } finally {
    if (down) redis = await startRedisServer([], redis.port); // the service drains its queues before it stops
    await t.stop();
    await redis.stop();
  }
});
