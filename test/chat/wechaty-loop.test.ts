import { WechatyBuilder } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { bindIdentity } from '../../src/directory/store';
import { startTestService, testWorld, type TestService } from '../support/service';
import { eventually } from '../support/sim';

// The same loop through Wechaty (mock puppet): private intake, offer and claim in a WeChat group.
const world = testWorld('wechaty');
const mocker = new mock.Mocker();
const puppet = new PuppetMock({ mocker });
const botUser = mocker.createContact({ name: '邻里助手' });
const resident = mocker.createContact({ name: '王秀英' });
const volunteer = mocker.createContact({ name: '李建军' });
const room = mocker.createRoom({ topic: '红马甲服务队', memberIdList: [botUser.id, resident.id, volunteer.id] });
let t: TestService;

/** Every text the mock shows arriving at a contact or in a room (the bot's phrases are told apart by content). */
function collect(target: mock.ContactMock | mock.RoomMock): string[] {
  const said: string[] = [];
  (target as mock.ContactMock).on('message', (m) => void said.push(m.text() ?? ''));
  return said;
}

beforeAll(async () => {
  const bot = WechatyBuilder.build({ puppet });
  // Every top-ranked volunteer's team hears about the order, so the 红马甲 room is sure to get it.
  t = await startTestService({ ...world.env, CHANNELS: 'sim,wechaty', OFFER_TOP_N: '50' }, { wechatyBot: bot });
  await bindIdentity(t.service.db, 'wechaty', resident.id, 'person', 'r-wang');
  await bindIdentity(t.service.db, 'wechaty', volunteer.id, 'person', 'v-li');
  await bindIdentity(t.service.db, 'wechaty', room.id, 'room', 'room-dongbeicun-hongmajia');
  const loggedIn = new Promise((resolve) => bot.once('login', resolve));
  mocker.login(botUser);
  await loggedIn;
});
afterAll(async () => {
  await t?.stop();
  await world.cleanup();
});

test('order in private chat, claim in the group, details privately to the winner', async () => {
  const toResident = collect(resident);
  const toVolunteer = collect(volunteer);
  const inRoom = collect(room);
  const lastTo = async (said: string[], match: string) =>
    eventually(async () => said.find((s) => s.includes(match)), 15_000, `a WeChat message containing ${match}`);

  resident.say('客厅的灯不亮了，明天下午四点能来人修一下吗').to(botUser);
  await lastTo(toResident, '还是去');
  resident.say('是').to(botUser);
  await lastTo(toResident, '请核对');
  resident.say('确认').to(botUser);
  const submitted = await lastTo(toResident, '已为您下单');
  const no = /单号 (\d{6})/.exec(submitted)![1]!;

  const offer = await lastTo(inRoom, `单号 ${no}`);
  expect(offer).toContain('家居维修');
  expect(offer).not.toContain('301');

  volunteer.say(`@邻里助手 接单 ${no}`, [botUser]).to(room);
  const details = await lastTo(toVolunteer, '接单成功');
  expect(details).toContain('3号楼2单元301');
  await lastTo(toResident, '有人接了');
  await lastTo(inRoom, '已由');
  const order = (await t.http.get(`/api/orders/${no}`)).body;
  expect(order.status).toBe('claimed');
  expect(order.volunteerId).toBe('v-li');
});
