/** Date/time extraction; reference time is Thursday 2026-06-04 10:00 Asia/Shanghai unless stated. */
import { extractWhen, parseIntake } from '../../../../src/orders/domain/intake/index.js';

const NOW = new Date('2026-06-04T10:00:00+08:00');

/** [text, date, time, asap?] */
const CASES: [string, string | null, string | null, boolean?][] = [
 ['明天下午三点', '2026-06-05', '15:00'],
 ['明早八点', '2026-06-05', '08:00'],
 ['明晚7点半', '2026-06-05', '19:30'],
 ['今晚八点', '2026-06-04', '20:00'],
 ['今天中午12点', '2026-06-04', '12:00'],
 ['大后天上午', '2026-06-07', null],
 ['后天', '2026-06-06', null],
 ['下周二', '2026-06-09', null],
 ['下周四上午十点', '2026-06-11', '10:00'],
 ['这周五下午', '2026-06-05', null],
 ['本周六上午9:30', '2026-06-06', '09:30'],
 ['周六', '2026-06-06', null],
 ['星期天下午两点', '2026-06-07', '14:00'],
 ['礼拜三', '2026-06-10', null],
 ['周四下午', '2026-06-04', null],
 ['下下周一', '2026-06-15', null],
 ['5天后', '2026-06-09', null],
 ['三天以后下午四点', '2026-06-07', '16:00'],
 ['下个月5号', '2026-07-05', null],
 ['6月10号上午十点', '2026-06-10', '10:00'],
 ['6月10日', '2026-06-10', null],
 ['6.12', '2026-06-12', null],
 ['6-12下午', '2026-06-12', null],
 ['2026-06-12 14:00', '2026-06-12', '14:00'],
 ['5月1号', '2027-05-01', null],
 ['14:00', '2026-06-04', '14:00'],
 ['下午3点', '2026-06-04', '15:00'],
 ['早上8点', '2026-06-05', '08:00'],
 ['晚上7点', '2026-06-04', '19:00'],
 ['中午12点', '2026-06-04', '12:00'],
 ['晚上12点', '2026-06-05', '00:00'],
 ['越早越好', null, null, true],
 ['尽快', null, null, true],
 ['马上', null, null, true],
 ['现在就要', null, null, true],
 ['明天上午九点一刻', '2026-06-05', '09:15'],
 ['明天下午3点15分', '2026-06-05', '15:15'],
 ['明天10:30', '2026-06-05', '10:30'],
 ['十二点', '2026-06-04', '12:00'],
 ['两点', '2026-06-04', '14:00'],
 ['傍晚六点', '2026-06-04', '18:00'],
 ['凌晨5点', '2026-06-05', '05:00'],
 ['六月二十号', '2026-06-20', null],
 ['十二月二十五日晚上', '2026-12-25', null],
 ['下周六上午', '2026-06-13', null],
 ['下个礼拜二下午三点半', '2026-06-09', '15:30'],
 ['这个星期六', '2026-06-06', null],
 ['周末', '2026-06-06', null],
 ['明天', '2026-06-05', null],
 ['明儿个上午', '2026-06-05', null],
 ['20号', '2026-06-20', null],
 ['3号楼2单元301 明天下午两点', '2026-06-05', '14:00'],
 ['一周后', '2026-06-11', null],
 ['两个星期以后', '2026-06-18', null],
 ['明天上午九点到十一点', '2026-06-05', '09:00'],
 ['后天晚上八九点', '2026-06-06', '20:00'],
 ['快一点', null, null, true],
 ['有空的时候', null, null, false],
 ['星期五早上七点', '2026-06-05', '07:00'],
 ['6/15 上午10点', '2026-06-15', '10:00'],
 ['明天下午', '2026-06-05', null],
 ['今天', '2026-06-04', null],
 ['下午三点半', '2026-06-04', '15:30'],
 ['9点', '2026-06-05', '09:00'],
 ['明天一点', '2026-06-05', '13:00'],
 ['今天下午一点半', '2026-06-04', '13:30'],
 ['2026年6月18日上午', '2026-06-18', null],
 ['7月1日早上八点半', '2026-07-01', '08:30'],
 ['四点半课堂还有名额吗', null, null],
 ['帮我买菜 放到5号楼门口', null, null],
 ['过两天', '2026-06-06', null],
 ['十天后', '2026-06-14', null],
 ['周日上午', '2026-06-07', null],
 ['两个小时后', '2026-06-04', '12:00'],
 ['半小时后', '2026-06-04', '10:30'],
];

/** [now, text, date, time] with other reference times (weekends, evenings, month/year ends). */
const OTHER_NOW: [string, string, string | null, string | null][] = [
 ['2026-06-07T09:00:00+08:00','周六','2026-06-13',null],
 ['2026-06-07T09:00:00+08:00','周日下午','2026-06-07',null],
 ['2026-06-07T09:00:00+08:00','下周一','2026-06-08',null],
 ['2026-06-07T09:00:00+08:00','这周日','2026-06-07',null],
 ['2026-06-07T09:00:00+08:00','下周日','2026-06-14',null],
 ['2026-06-04T20:00:00+08:00','下午3点','2026-06-05','15:00'],
 ['2026-06-04T20:00:00+08:00','九点','2026-06-05','09:00'],
 ['2026-06-04T20:00:00+08:00','明天','2026-06-05',null],
 ['2026-06-30T10:00:00+08:00','明天','2026-07-01',null],
 ['2026-12-31T10:00:00+08:00','后天上午','2027-01-02',null],
 ['2026-12-20T10:00:00+08:00','1月5号','2027-01-05',null],
 ['2026-06-25T10:00:00+08:00','3号','2026-07-03',null],
 ['2026-06-08T10:00:00+08:00','周一上午十点','2026-06-08','10:00'],
 ['2026-06-08T10:00:00+08:00','下周一','2026-06-15',null],
 ['2026-06-03T23:30:00+08:00','明天早上','2026-06-04',null],
 ['2026-06-04T01:00:00Z','今天','2026-06-04',null],
 ['2026-06-03T17:00:00Z','今天','2026-06-04',null],
];

describe('extractWhen', () => {
  // Rows are padded to four columns: jest passes a `done` callback for missing trailing arguments.
  test.each(CASES.map(([t, d, tm, asap]) => [t, d, tm, asap ?? null] as const))('%s → %s %s', (text, date, time, asap) => {
    const r = extractWhen(text, NOW);
    expect({ date: r.date, time: r.time }).toEqual({ date, time });
    if (asap !== null) expect(r.asap).toBe(asap);
  });

  test.each(OTHER_NOW)('now %s: %s → %s %s', (now, text, date, time) => {
    const r = extractWhen(text, new Date(now));
    expect({ date: r.date, time: r.time }).toEqual({ date, time });
  });

  test('past days are not returned as wanted dates', () => {
    expect(extractWhen('昨天下午', NOW)).toMatchObject({ date: null, time: null });
    expect(extractWhen('上周三', NOW).date).toBeNull();
  });

  test('a clock time that has already passed today moves to tomorrow', () => {
    expect(extractWhen('八点', NOW)).toMatchObject({ date: '2026-06-05', time: '08:00' });
  });

  test.each([
    ['国庆节上午', '2026-10-01', null],
    ['中秋节晚上七点', '2026-09-25', '19:00'],
    ['端午节', '2026-06-19', null],
    ['元旦那天', '2027-01-01', null],
    ['春节', '2027-02-06', null],
  ])('holiday %s → %s %s', (text, date, time) => {
    expect(extractWhen(text, NOW)).toMatchObject({ date, time });
  });

  test('empty or unrelated text gives nothing', () => {
    expect(extractWhen('', NOW)).toEqual({ date: null, time: null, asap: false });
    expect(extractWhen('想找人修水管', NOW)).toEqual({ date: null, time: null, asap: false });
  });

  test('parseIntake carries the wanted time', () => {
    const r = parseIntake('下周二上午九点想找人陪我去医院复查', NOW);
    expect(r).toMatchObject({ category: 'medical_escort', urgent: false, when: { date: '2026-06-09', time: '09:00' } });
  });
});
