import { isQuiet, nextSendTime, type QuietHours } from '../../src/kernel/quiet-hours.js';
import { fromLocal } from '../../src/kernel/shanghai-time.js';

const NIGHT: QuietHours = { start: '22:00', end: '07:00' };
const LUNCH: QuietHours = { start: '12:00', end: '14:00' };

/** 2026-06-04 is a Thursday; times are Shanghai wall-clock. */
const at = (day: number, hour: number, minute = 0, second = 0) => new Date(fromLocal(2026, 6, day, hour, minute).getTime() + second * 1000);

describe('nextSendTime', () => {
  it.each([
    ['evening before quiet hours', NIGHT, at(4, 21, 59, 59), false, at(4, 21, 59, 59)],
    ['at the start of quiet hours', NIGHT, at(4, 22, 0), false, at(5, 7, 0)],
    ['late evening → next morning', NIGHT, at(4, 23, 15), false, at(5, 7, 0)],
    ['just before midnight', NIGHT, at(4, 23, 59, 59), false, at(5, 7, 0)],
    ['at midnight', NIGHT, at(5, 0, 0), false, at(5, 7, 0)],
    ['small hours → same morning', NIGHT, at(5, 3, 30), false, at(5, 7, 0)],
    ['a second before the end', NIGHT, at(5, 6, 59, 59), false, at(5, 7, 0)],
    ['at the end: already allowed', NIGHT, at(5, 7, 0), false, at(5, 7, 0)],
    ['daytime', NIGHT, at(5, 12, 0), false, at(5, 12, 0)],
    ['urgent ignores quiet hours', NIGHT, at(4, 23, 15), true, at(4, 23, 15)],
    ['month end rolls into the next month', NIGHT, fromLocal(2026, 6, 30, 23, 0), false, fromLocal(2026, 7, 1, 7, 0)],
    ['year end rolls into the next year', NIGHT, fromLocal(2026, 12, 31, 22, 30), false, fromLocal(2027, 1, 1, 7, 0)],
    ['same-day window, inside', LUNCH, at(4, 12, 30), false, at(4, 14, 0)],
    ['same-day window, before', LUNCH, at(4, 11, 59), false, at(4, 11, 59)],
    ['same-day window, at its end', LUNCH, at(4, 14, 0), false, at(4, 14, 0)],
    ['empty window (start = end) never holds back', { start: '07:00', end: '07:00' }, at(4, 3, 0), false, at(4, 3, 0)],
    ['single-digit hours are accepted', { start: '9:00', end: '9:30' }, at(4, 9, 10), false, at(4, 9, 30)],
  ] as [string, QuietHours, Date, boolean, Date][])('%s', (_name, quiet, when, urgent, expected) => {
    expect(nextSendTime(when, quiet, urgent).toISOString()).toBe(expected.toISOString());
  });

  it('is independent of the machine time zone: 23:00 Shanghai is 15:00 UTC', () => {
    expect(nextSendTime(new Date('2026-06-04T15:00:00Z'), NIGHT, false).toISOString()).toBe('2026-06-04T23:00:00.000Z');
  });

  it.each(['25:00', '7', '07:60', 'abc'])('refuses malformed time %j with a message naming the field', (bad) => {
    expect(() => nextSendTime(at(4, 12), { start: bad, end: '07:00' }, false)).toThrow(/start must be 'HH:MM'/);
  });
});

describe('isQuiet', () => {
  it.each([
    [at(4, 22, 0), true],
    [at(5, 6, 59), true],
    [at(5, 7, 0), false],
    [at(4, 21, 59), false],
  ])('%s → %s', (when, quiet) => {
    expect(isQuiet(when, NIGHT)).toBe(quiet);
  });
});
