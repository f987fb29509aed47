import {
  DEFAULT_CHECKIN_SETTINGS,
  checkinSay,
  dueSlots,
  isRestDay,
  parseCheckinReply,
  readCheckinSettings,
  slotInstant,
  type CheckinLine,
  type CheckinSettings,
  type CheckinSummary,
  type SlotName,
} from '../../../src/checkins/domain/checkin.js';
import { fromLocal } from '../../../src/kernel/shanghai-time.js';

/** 2026-06-04 is a Thursday, 06-06 a Saturday, 06-07 a Sunday; times are Shanghai wall-clock. */
const at = (day: number, hour: number, minute = 0, second = 0) => new Date(fromLocal(2026, 6, day, hour, minute).getTime() + second * 1000);
const WEEKEND_OFF: CheckinSettings = { ...DEFAULT_CHECKIN_SETTINGS, restDays: [0, 6] };
const DRAGON_BOAT: CheckinSettings = { ...DEFAULT_CHECKIN_SETTINGS, holidays: ['2026-06-19'] };
const LATE: CheckinSettings = { ...DEFAULT_CHECKIN_SETTINGS, slots: { morning: '08:30', evening: '23:45' } };

describe('dueSlots', () => {
  it.each([
    ['before the morning slot', DEFAULT_CHECKIN_SETTINGS, at(4, 8, 29, 59), 30, []],
    ['exactly at the morning slot', DEFAULT_CHECKIN_SETTINGS, at(4, 8, 30), 30, [['morning', '2026-06-04', at(4, 8, 30)]]],
    ['inside the window', DEFAULT_CHECKIN_SETTINGS, at(4, 8, 45), 30, [['morning', '2026-06-04', at(4, 8, 30)]]],
    ['last second of the window', DEFAULT_CHECKIN_SETTINGS, at(4, 8, 59, 59), 30, [['morning', '2026-06-04', at(4, 8, 30)]]],
    ['window closed at slot + window', DEFAULT_CHECKIN_SETTINGS, at(4, 9, 0), 30, []],
    ['midday: nothing due', DEFAULT_CHECKIN_SETTINGS, at(4, 12, 0), 30, []],
    ['evening slot', DEFAULT_CHECKIN_SETTINGS, at(4, 17, 31), 30, [['evening', '2026-06-04', at(4, 17, 30)]]],
    ['a long window holds both slots, earliest first', DEFAULT_CHECKIN_SETTINGS, at(4, 18, 0), 600, [['morning', '2026-06-04', at(4, 8, 30)], ['evening', '2026-06-04', at(4, 17, 30)]]],
    ['Saturday is a rest day', WEEKEND_OFF, at(6, 8, 40), 30, []],
    ['Sunday is a rest day', WEEKEND_OFF, at(7, 17, 40), 30, []],
    ['Friday is not', WEEKEND_OFF, at(5, 8, 40), 30, [['morning', '2026-06-05', at(5, 8, 30)]]],
    ['Monday after a rest weekend', WEEKEND_OFF, at(8, 8, 30), 30, [['morning', '2026-06-08', at(8, 8, 30)]]],
    ['holiday', DRAGON_BOAT, at(19, 8, 40), 30, []],
    ['the day after a holiday', DRAGON_BOAT, at(20, 8, 40), 30, [['morning', '2026-06-20', at(20, 8, 30)]]],
    ['zero window', DEFAULT_CHECKIN_SETTINGS, at(4, 8, 30), 0, []],
    ['negative window', DEFAULT_CHECKIN_SETTINGS, at(4, 8, 30), -5, []],
    ['NaN window', DEFAULT_CHECKIN_SETTINGS, at(4, 8, 30), Number.NaN, []],
    ['a late slot stays due past midnight, dated the day before', LATE, at(5, 0, 10), 30, [['evening', '2026-06-04', at(4, 23, 45)]]],
    ['a late slot on the eve of a rest day still runs', { ...LATE, restDays: [5] }, at(5, 0, 5), 30, [['evening', '2026-06-04', at(4, 23, 45)]]],
    ['a late slot on a rest day does not spill into the next day', { ...LATE, restDays: [4] }, at(5, 0, 5), 30, []],
    ['custom slot', { ...DEFAULT_CHECKIN_SETTINGS, slots: { morning: '07:00', evening: '18:00' } }, at(4, 7, 0), 1, [['morning', '2026-06-04', at(4, 7, 0)]]],
  ] as [string, CheckinSettings, Date, number, [SlotName, string, Date][]][])('%s', (_name, settings, now, window, expected) => {
    const due = dueSlots(settings, now, window).map((d) => [d.slot, d.date, d.at.toISOString()]);
    expect(due).toEqual(expected.map(([slot, date, instant]) => [slot, date, instant.toISOString()]));
  });

  it('does not depend on the machine time zone: 00:30 UTC is 08:30 Shanghai', () => {
    expect(dueSlots(DEFAULT_CHECKIN_SETTINGS, new Date('2026-06-04T00:30:00Z'), 30)).toEqual([
      { slot: 'morning', date: '2026-06-04', at: new Date('2026-06-04T00:30:00Z') },
    ]);
  });
});

describe('slotInstant and isRestDay', () => {
  it('places a slot on its Shanghai date', () => {
    expect(slotInstant(DEFAULT_CHECKIN_SETTINGS, '2026-06-04', 'evening').toISOString()).toBe('2026-06-04T09:30:00.000Z');
    expect(slotInstant(DEFAULT_CHECKIN_SETTINGS, '2026-01-01', 'morning').toISOString()).toBe('2026-01-01T00:30:00.000Z');
  });

  it.each([
    [WEEKEND_OFF, '2026-06-06', true],
    [WEEKEND_OFF, '2026-06-07', true],
    [WEEKEND_OFF, '2026-06-08', false],
    [DRAGON_BOAT, '2026-06-19', true],
    [DRAGON_BOAT, '2026-06-18', false],
    [DEFAULT_CHECKIN_SETTINGS, '2026-06-06', false],
  ] as [CheckinSettings, string, boolean][])('%#: %s → %s', (settings, date, expected) => {
    expect(isRestDay(settings, date)).toBe(expected);
  });
});

describe('readCheckinSettings', () => {
  const defaults = DEFAULT_CHECKIN_SETTINGS;
  it.each([
    ['undefined', undefined, defaults],
    ['null', null, defaults],
    ['a number', 42, defaults],
    ['an array', [1, 2], defaults],
    ['broken JSON text', '{"slots":', defaults],
    ['JSON text', '{"restDays":[0]}', { ...defaults, restDays: [0] }],
    ['empty object', {}, defaults],
    ['one slot changed', { slots: { morning: '9:00' } }, { ...defaults, slots: { morning: '09:00', evening: '17:30' } }],
    ['full-width time', { slots: { evening: '１８：００' } }, { ...defaults, slots: { morning: '08:30', evening: '18:00' } }],
    ['invalid times are ignored', { slots: { morning: '25:00', evening: 1730 } }, defaults],
    ['evening before morning falls back to both defaults', { slots: { morning: '18:00', evening: '08:00' } }, defaults],
    ['slots not an object', { slots: '08:30' }, defaults],
    ['rest days filtered, deduplicated and sorted', { restDays: [6, 0, 6, 7, -1, 2.5, '1', null] }, { ...defaults, restDays: [0, 6] }],
    ['rest days not an array', { restDays: '0,6' }, defaults],
    ['holidays: only real dates, padded and sorted', { holidays: ['2026-10-01', '2026-2-30', '2026-6-1', 'tomorrow', 20260601, '2026-06-01'] }, { ...defaults, holidays: ['2026-06-01', '2026-10-01'] }],
    ['holidays not an array', { holidays: { '2026-10-01': true } }, defaults],
    ['prototype keys are not read', JSON.parse('{"__proto__": {"restDays": [1]}}') as unknown, defaults],
  ] as [string, unknown, CheckinSettings][])('%s', (_name, raw, expected) => {
    expect(readCheckinSettings(raw)).toEqual(expected);
  });

  it('caps a huge holiday list', () => {
    const holidays = Array.from({ length: 5000 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')}`);
    expect(readCheckinSettings({ holidays }).holidays).toHaveLength(28);
    expect(readCheckinSettings({ holidays: Array.from({ length: 5000 }, () => 'x') }).holidays).toEqual([]);
  });

  it('returns fresh arrays, so callers cannot change the defaults', () => {
    readCheckinSettings(undefined).restDays.push(3);
    expect(DEFAULT_CHECKIN_SETTINGS.restDays).toEqual([]);
  });
});

const OK: CheckinLine = { kind: 'ok' };
const need = (text: string): CheckinLine => ({ kind: 'need', text });
const risk = (text: string, level: '一般' | '较大' | '重大' = '一般'): CheckinLine => ({ kind: 'risk', text, level });
const close = (no: string, note: string | null = null): CheckinLine => ({ kind: 'close', no, note });
const QUOTE_LINE = '- - - - - - - - - - - - - - -';

describe('parseCheckinReply', () => {
  it.each([
    // plain check-ins
    ['碰头 正常', [OK]],
    ['碰头正常', [OK]],
    ['碰头：正常。', [OK]],
    ['正常', [OK]],
    ['无异常', [OK]],
    ['一切正常', [OK]],
    ['收到', [OK]],
    ['已到', [OK]],
    ['收到，一切正常', [OK]],
    ['本网格一切正常', [OK]],
    ['今天碰头正常', [OK]],
    ['无需求，无隐患', [OK]],
    ['需求：无；隐患：无', [OK]],
    ['需求：暂无', [OK]],
    ['OK', [OK]],
    ['👍', [OK]],
    ['[强]', [OK]],
    ['@邻里助手\u2005碰头 正常', [OK]],
    ['碰头 正常 @孙书记', [OK]],
    // needs
    ['需求：3号楼王奶奶需要买药', [need('3号楼王奶奶需要买药')]],
    ['需求:3号楼王奶奶需要买药', [need('3号楼王奶奶需要买药')]],
    ['需求 3号楼王奶奶需要买药', [need('3号楼王奶奶需要买药')]],
    ['需求 ： 3号楼王奶奶需要买药。', [need('3号楼王奶奶需要买药')]],
    ['【需求】3号楼王奶奶需要买药', [need('3号楼王奶奶需要买药')]],
    ['　需求：　３号楼王奶奶需要买药　', [need('3号楼王奶奶需要买药')]],
    ['居民需求：王奶奶想找人陪聊', [need('王奶奶想找人陪聊')]],
    ['需求：王奶奶需要买药，隐患排查需要加强', [need('王奶奶需要买药，隐患排查需要加强')]],
    ['需求：王奶奶买药；李爷爷理发', [need('王奶奶买药；李爷爷理发')]],
    ['1. 需求：王奶奶买药\n2. 需求：李爷爷理发', [need('王奶奶买药'), need('李爷爷理发')]],
    ['1、需求：王奶奶买药', [need('王奶奶买药')]],
    ['（１）需求：王奶奶买药', [need('王奶奶买药')]],
    ['①需求：王奶奶买药', [need('王奶奶买药')]],
    // risks and levels
    ['隐患：5号楼楼道堆放杂物（较大）', [risk('5号楼楼道堆放杂物', '较大')]],
    ['隐患：5号楼楼道堆放杂物', [risk('5号楼楼道堆放杂物')]],
    ['隐患：5号楼楼道堆放杂物【重大】', [risk('5号楼楼道堆放杂物', '重大')]],
    ['隐患：5号楼楼道堆放杂物(一般)', [risk('5号楼楼道堆放杂物', '一般')]],
    ['隐患：5号楼楼道堆放杂物（较大隐患）', [risk('5号楼楼道堆放杂物', '较大')]],
    ['隐患（较大）：楼道堆物', [risk('楼道堆物', '较大')]],
    ['【重大】隐患：燃气管道漏气', [risk('燃气管道漏气', '重大')]],
    ['重大隐患：燃气管道漏气', [risk('燃气管道漏气', '重大')]],
    ['隐患：燃气管道漏气，属重大隐患', [risk('燃气管道漏气', '重大')]],
    ['隐患：楼道里电动车充电，较大', [risk('楼道里电动车充电', '较大')]],
    ['隐患：等级：较大 楼道堆物', [risk('楼道堆物', '较大')]],
    ['隐患：楼道堆物（一般）（重大）', [risk('楼道堆物', '重大')]],
    ['风险隐患：电动车楼道充电', [risk('电动车楼道充电')]],
    ['安全隐患：消防通道被占', [risk('消防通道被占')]],
    // closing and converting
    ['销号 12 已清理', [close('12', '已清理')]],
    ['销号12，已处理', [close('12', '已处理')]],
    ['销号：12 已清理', [close('12', '已清理')]],
    ['销号 #12', [close('12')]],
    ['已销号 12', [close('12')]],
    ['销号 第12项 已清理', [close('12', '已清理')]],
    ['销号 12、13 已处理', [close('12', '已处理'), close('13', '已处理')]],
    ['销号 12,35号楼已清理', [close('12', '35号楼已清理')]],
    ['销号 12 已清理；物业已签字', [close('12', '已清理；物业已签字')]],
    ['销号 ０１２', [close('12')]],
    ['转单 12', [{ kind: 'convert', no: '12' }]],
    ['转单#12', [{ kind: 'convert', no: '12' }]],
    ['转为订单 12', [{ kind: 'convert', no: '12' }]],
    // several items in one message
    ['需求：王奶奶买药；隐患：楼道杂物', [need('王奶奶买药'), risk('楼道杂物')]],
    ['需求：王奶奶买药 隐患：楼道堆物（较大）', [need('王奶奶买药'), risk('楼道堆物', '较大')]],
    ['需求：王奶奶买药，隐患：堆物，销号 3 已办', [need('王奶奶买药'), risk('堆物'), close('3', '已办')]],
    ['碰头正常，需求：王奶奶买药', [OK, need('王奶奶买药')]],
    ['碰头 正常\n需求：3号楼王奶奶需要买药\n隐患：5号楼楼道堆放杂物（较大）\n销号 7 已清理', [OK, need('3号楼王奶奶需要买药'), risk('5号楼楼道堆放杂物', '较大'), close('7', '已清理')]],
    ['正常\r\n收到', [OK]],
    // a free report under a label is understood
    ['今日重点：走访独居老人', [OK]],
    // a quoted prompt does not become items
    [`「邻里助手：【东北村社区 早碰头】需求：3号楼王奶奶需要买药」\n${QUOTE_LINE}\n碰头 正常`, [OK]],
    ['「邻里助手：隐患：5号楼楼道堆放杂物（较大）」\n正常', [OK]],
  ] as [string, CheckinLine[]][])('%j', (text, expected) => {
    expect(parseCheckinReply(text)).toEqual({ lines: expected, unparsed: false });
  });

  it.each([
    ['今天天气不错', []],
    ['隐患排查已完成', []],
    ['需求：', []],
    ['销号 已清理', []],
    ['转单', []],
    ['碰头正常\n今天走访了3户', [OK]],
    ['需求：王奶奶买药\n asdf', [need('王奶奶买药')]],
  ] as [string, CheckinLine[]][])('%j is partly unparsed', (text, expected) => {
    expect(parseCheckinReply(text)).toEqual({ lines: expected, unparsed: true });
  });

  it.each(['', '   ', '\n\n \n'])('empty %j is neither items nor unparsed', (text) => {
    expect(parseCheckinReply(text)).toEqual({ lines: [], unparsed: false });
  });

  it('caps the items of one reply and flags the rest', () => {
    const flood = Array.from({ length: 50 }, (_, i) => `需求：第${i + 1}条`).join('\n');
    const parsed = parseCheckinReply(flood);
    expect(parsed.lines).toHaveLength(30);
    expect(parsed.unparsed).toBe(true);
  });

  it('cuts a very long item and stays fast on hostile input', () => {
    const [line] = parseCheckinReply(`需求：${'买药'.repeat(1000)}`).lines;
    expect(line?.kind === 'need' && line.text.length).toBe(500);
    const started = process.hrtime.bigint();
    parseCheckinReply(' 需求'.repeat(30_000));
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
  });
});

describe('checkinSay', () => {
  const summary: CheckinSummary = {
    communityName: '东北村社区',
    date: '2026-06-04',
    slot: 'morning',
    tiers: [
      { tier: 'workers', roomName: '工作者群', answered: ['孙丽', '赵强', '王芳'], silent: ['刘海涛'] },
      { tier: 'grid', roomName: '第一网格群', answered: ['张楼长', '李楼长'], silent: [] },
      { tier: 'grid', roomName: '第二网格群', answered: [], silent: Array.from({ length: 12 }, (_, i) => `楼长${i + 1}`) },
    ],
    newNeeds: [
      { no: '12', text: '3号楼王奶奶需要买药' },
      { no: '14', text: '7号楼李爷爷想找人陪同复查' },
    ],
    newRisks: [{ no: '13', text: '5号楼楼道堆放杂物', level: '较大' }],
    openItems: Array.from({ length: 13 }, (_, i) => ({ no: String(i + 1), kind: i % 2 === 0 ? ('need' as const) : ('risk' as const), text: `事项${i + 1}`, ageDays: 13 - i })),
  };

  it('summarises who answered, new items and open items', () => {
    const text = checkinSay.summary(summary);
    expect(text.split('\n')[0]).toBe('【东北村社区 6月4日 早碰头】');
    expect(text).toContain('工作者群：已报 3 人，未报 1 人（刘海涛）');
    expect(text).toContain('第一网格群：已报 2 人，全部到齐');
    expect(text).toContain('第二网格群：已报 0 人，未报 12 人（楼长1、楼长2、楼长3、楼长4、楼长5、楼长6、楼长7、楼长8、楼长9、楼长10 等 12 人）');
    expect(text).toContain('新需求 2 条：\n#12 3号楼王奶奶需要买药\n#14 7号楼李爷爷想找人陪同复查');
    expect(text).toContain('新隐患 1 条：\n#13【较大】5号楼楼道堆放杂物');
    expect(text).toContain('未销号 13 项：\n#1 需求 事项1 已 13 天\n#2 隐患 事项2 已 12 天');
    expect(text).toContain('#10 隐患 事项10 已 4 天\n另有 3 项');
    expect(text).not.toContain('#11 ');
  });

  it('says 无 for empty sections and marks today’s items', () => {
    const text = checkinSay.summary({
      ...summary,
      slot: 'evening',
      tiers: [{ tier: 'workers', roomName: '工作者群', answered: [], silent: [] }],
      newNeeds: [],
      newRisks: [],
      openItems: [{ no: '7', kind: 'need', text: '楼道灯坏了', ageDays: 0 }],
    });
    expect(text).toContain('【东北村社区 6月4日 晚碰头】');
    expect(text).toContain('工作者群：暂无应报人员');
    expect(text).toContain('新需求：无');
    expect(text).toContain('新隐患：无');
    expect(text).toContain('#7 需求 楼道灯坏了 今天报的');
  });

  it('cuts long item texts in the summary', () => {
    const text = checkinSay.summary({ ...summary, newNeeds: [{ no: '1', text: '很'.repeat(100) }] });
    expect(text).toContain(`#1 ${'很'.repeat(39)}…`);
  });

  it('prompts with what to report and how, per tier and slot', () => {
    const morning = checkinSay.prompt('workers', 'morning', '东北村社区', '东北村社区工作群');
    expect(morning).toContain('【东北村社区 早碰头】');
    for (const part of ['今日重点', '居民需求', '风险隐患', '碰头 正常', '需求：', '隐患：', '一般/较大/重大']) expect(morning).toContain(part);
    const evening = checkinSay.prompt('grid', 'evening', '东北村社区', '第一网格碰头群');
    expect(evening).toContain('【东北村社区 晚碰头】');
    expect(evening).toContain('第一网格碰头群');
    expect(evening).toContain('销号');
  });

  it('examples in the prompt parse as the items they show', () => {
    const prompt = checkinSay.prompt('grid', 'morning', '东北村社区', '第一网格群');
    const examples = prompt.split('\n').filter((l) => /^(需求|隐患)：/.test(l)).join('\n');
    expect(parseCheckinReply(examples).lines).toEqual([need('3号楼王奶奶需要买药'), risk('5号楼楼道堆放杂物', '较大')]);
  });

  it('names people, numbers and levels in the short replies', () => {
    expect(checkinSay.nudge(['刘海涛', '王芳'])).toContain('刘海涛、王芳');
    expect(checkinSay.nudge([])).toContain('碰头');
    expect(checkinSay.hint()).toContain('需求：');
    expect(checkinSay.itemCreated('need', '12')).toContain('已记入需求清单，编号 12');
    expect(checkinSay.itemCreated('risk', '13', '较大')).toContain('风险隐患清单（较大），编号 13');
    expect(checkinSay.itemClosed('12')).toContain('12');
    expect(checkinSay.itemNotFound('99')).toContain('99');
    expect(checkinSay.itemAlreadyClosed('12')).toContain('12');
    expect(checkinSay.converted('12', '100234')).toMatch(/12.*100234/);
    expect(checkinSay.notANeed('13')).toContain('13');
    const alert = checkinSay.majorRisk('东北村社区', '13', '燃气管道漏气', '赵强');
    for (const part of ['重大', '东北村社区', '13', '燃气管道漏气', '赵强']) expect(alert).toContain(part);
  });

  it('keeps the one-line replies on one line', () => {
    for (const text of [checkinSay.nudge(['刘海涛']), checkinSay.hint(), checkinSay.itemCreated('need', '1'), checkinSay.itemClosed('1')]) {
      expect(text).not.toContain('\n');
    }
  });
});
