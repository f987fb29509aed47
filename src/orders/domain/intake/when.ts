/** Wanted date and time in Chinese free text, resolved in Asia/Shanghai against a given `now`. */
import { fromLocal, localDateString, localTimeString, toLocal, type LocalDateTime } from '../../../kernel/shanghai-time.js';
import { holidayDate } from './holidays.js';
import { NUM, cnToInt, normalizeText } from '../../../kernel/text.js';

/** Wanted time: local date and clock time, or `asap` when only urgency words were given. */
export interface When {
  date: string | null;
  time: string | null;
  asap: boolean;
}

interface DateHit {
  date: string | null;
  /** The text named a day (even a past one we refuse to return). */
  found: boolean;
}

type Period = 'dawn' | 'night' | 'morning' | 'noon' | 'afternoon' | 'evening';

const PERIODS: [RegExp, Period][] = [
  [/凌晨/g, 'dawn'],
  [/半夜|深夜|午夜|夜里|夜间|后半夜/g, 'night'],
  [/午饭后|午睡后|下午|午后|下半天/g, 'afternoon'],
  [/早上|早晨|清晨|一早|大早|早起|上午|今早|明早|明晨|今晨|早饭|上半天/g, 'morning'],
  [/中午|午饭|晌午|午间/g, 'noon'],
  [/傍晚|黄昏|晚上|晚间|今晚|明晚|后晚|晚饭|夜晚|当晚/g, 'evening'],
];

const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0, 末: 6, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 0 };

const ASAP = /越(?:快|早)越好|快点|快一点|快些|尽快|尽早|马上|立刻|立即|现在|赶紧|赶快|火速|即刻|急/;

function ds(y: number, m: number, d: number): string {
  return localDateString(fromLocal(y, m, d, 12));
}

function plusDays(l: LocalDateTime, n: number): string {
  return ds(l.year, l.month, l.day + n);
}

function validMonthDay(m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** A month/day without a year: this year, or next year when already past. */
function monthDay(l: LocalDateTime, m: number, d: number, yearOffset: number | null): string | null {
  if (!validMonthDay(m, d)) return null;
  if (yearOffset !== null) return ds(l.year + yearOffset, m, d);
  const past = m < l.month || (m === l.month && d < l.day);
  return ds(l.year + (past ? 1 : 0), m, d);
}

/** Weekday resolution; weeks start on Monday. */
function weekdayDate(l: LocalDateTime, prefix: string, wd: number): string | null {
  const mondayOffset = -((l.weekday + 6) % 7);
  const idx = (wd + 6) % 7; // Monday 0 … Sunday 6
  if (/^下下/.test(prefix)) return plusDays(l, mondayOffset + 14 + idx);
  if (/^下/.test(prefix)) return plusDays(l, mondayOffset + 7 + idx);
  if (/^上/.test(prefix)) return null;
  if (/^(?:这|本)/.test(prefix)) {
    const off = mondayOffset + idx;
    return plusDays(l, off < 0 ? off + 7 : off);
  }
  return plusDays(l, (wd - l.weekday + 7) % 7);
}

const RELATIVE: Record<string, number> = {
  大后天: 3, 明后天: 1, 后天: 2, 明天: 1, 明日: 1, 明儿: 1, 明早: 1, 明晚: 1, 明晨: 1, 明夜: 1,
  今天: 0, 今日: 0, 今儿: 0, 今早: 0, 今晚: 0, 今晨: 0, 今夜: 0, 今个: 0, 当天: 0, 后晚: 2,
  昨天: -1, 昨日: -1, 昨晚: -1, 前天: -2, 大前天: -3,
};

function findDate(t: string, l: LocalDateTime): DateHit {
  let m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?/.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (validMonthDay(mo, d)) return { date: ds(y, mo, d), found: true };
  }
  m = new RegExp(`(明年|今年)?(${NUM})\\s*月\\s*(${NUM})\\s*[日号]?`).exec(t);
  if (m) {
    const yo = m[1] === '明年' ? 1 : m[1] === '今年' ? 0 : null;
    const date = monthDay(l, cnToInt(m[2] ?? ''), cnToInt(m[3] ?? ''), yo);
    if (date) return { date, found: true };
  }
  m = new RegExp(`(下下个?月|下个?月|这个?月|本月)\\s*(${NUM})\\s*[号日]`).exec(t);
  if (m) {
    const off = (m[1] ?? '').startsWith('下下') ? 2 : (m[1] ?? '').startsWith('下') ? 1 : 0;
    const d = cnToInt(m[2] ?? '');
    if (d >= 1 && d <= 31) return { date: ds(l.year, l.month + off, d), found: true };
  }
  m = /(?<![\d.\-/:])(\d{1,2})\s*[./-]\s*(\d{1,2})(?![\d.\-/:]|\s*(?:小时|个|倍|元|块|斤|公|米|万|千|%|度|折|岁|年|分|楼|栋|单元|室))/.exec(t);
  if (m) {
    const date = monthDay(l, Number(m[1]), Number(m[2]), null);
    if (date) return { date, found: true };
  }
  m = /大前天|大后天|明后天|后天|明天|明日|明儿|明早|明晚|明晨|明夜|今天|今日|今儿|今早|今晚|今晨|今夜|今个|当天|后晚|昨天|昨日|昨晚|前天/.exec(t);
  if (m) {
    const off = RELATIVE[m[0]] ?? 0;
    return { date: off < 0 ? null : plusDays(l, off), found: true };
  }
  m = new RegExp(`(${NUM}|半)\\s*个?\\s*(天|日|星期|礼拜|周|月)\\s*(?:以后|之后|后)`).exec(t)
    ?? new RegExp(`过\\s*(${NUM})\\s*(天|日)`).exec(t);
  if (m) {
    const n = m[1] === '半' ? 0.5 : cnToInt(m[1] ?? '');
    const unit = m[2] ?? '天';
    if (Number.isFinite(n) && n > 0) {
      if (unit === '月') return { date: n === 0.5 ? plusDays(l, 15) : ds(l.year, l.month + n, l.day), found: true };
      const days = unit === '天' || unit === '日' ? n : n * 7;
      return { date: plusDays(l, Math.round(days)), found: true };
    }
  }
  const holiday = holidayDate(t, plusDays(l, 0));
  if (holiday) return { date: holiday, found: true };
  m = /(?<![0-9一二两三四五六七八九十个几])(下下个?|下个?|这个?|本|上个?)?\s*(?:周|星期|礼拜|週)\s*([一二三四五六日天末1-7])/.exec(t);
  if (m) return { date: weekdayDate(l, m[1] ?? '', WEEKDAY[m[2] ?? ''] ?? 0), found: true };
  m = new RegExp(`(?<![月路街道巷弄村号\\d${'零〇一二两三四五六七八九十'}])(${NUM})\\s*号(?!楼|院|门|线|床|房|室|单元|座|栋|幢|窗|码|位|机|车|厅|馆|站|口)`).exec(t)
    ?? /(?<![月\d])(\d{1,2})\s*日/.exec(t);
  if (m) {
    const d = cnToInt(m[1] ?? '');
    if (d >= 1 && d <= 31) return { date: ds(l.year, l.month + (d < l.day ? 1 : 0), d), found: true };
  }
  return { date: null, found: false };
}

interface TimeHit {
  hour: number;
  minute: number;
  index: number;
}

function findClock(t: string): TimeHit | null {
  const colon = /(?<!\d)([01]?\d|2[0-4])\s*:\s*([0-5]\d)(?!\d)/.exec(t);
  const re = new RegExp(`(${NUM})\\s*(?:点|时)(钟)?(半|一刻|三刻|整|过?\\s*(${NUM})\\s*(分)?)?`, 'g');
  let spoken: TimeHit | null = null;
  for (const m of t.matchAll(re)) {
    const raw = m[1] ?? '';
    const hour = cnToInt(raw);
    if (!Number.isFinite(hour) || hour > 24) continue;
    const idx = m.index ?? 0;
    const after = t.slice(idx + m[0].length);
    if (/^(?:课|学校|班)/.test(after) && m[3] === '半') continue; // 四点半 as the name of an after-school class
    if (raw === '一' && !m[2] && !m[3]) {
      const prev = t.slice(Math.max(0, idx - 3), idx);
      if (!/(?:早上|上午|下午|中午|晚上|凌晨|夜里|天|日|号|周.|期.|拜.)$/.test(prev)) continue; // 快一点
    }
    let minute = 0;
    const tail = m[3] ?? '';
    if (tail === '半') minute = 30;
    else if (tail === '一刻') minute = 15;
    else if (tail === '三刻') minute = 45;
    else if (m[4]) {
      const mm = cnToInt(m[4]);
      const explicit = Boolean(m[5]) || /^[0-9]{2}$/.test(m[4]) || /[十零〇]/.test(m[4]);
      if (explicit && mm >= 0 && mm < 60) minute = mm;
    }
    spoken = { hour, minute, index: idx };
    break;
  }
  const colonHit = colon ? { hour: Number(colon[1]), minute: Number(colon[2]), index: colon.index } : null;
  if (colonHit && (!spoken || colonHit.index < spoken.index)) return colonHit;
  return spoken;
}

function findPeriod(t: string, before: number): Period | null {
  let best: { p: Period; idx: number } | null = null;
  for (const [re, p] of PERIODS) {
    re.lastIndex = 0;
    for (const m of t.matchAll(re)) {
      const idx = m.index ?? 0;
      const better = !best || (idx <= before ? best.idx > before || idx > best.idx : best.idx > before && idx < best.idx);
      if (better) best = { p, idx };
    }
  }
  return best?.p ?? null;
}

/** 24-hour clock for a spoken hour in a period of the day; `shift` is +1 when it falls after midnight. */
function toClock(hour: number, period: Period | null): { hour: number; shift: number } {
  if (hour === 24) return { hour: 0, shift: 1 };
  if (hour > 12) return { hour, shift: 0 };
  switch (period) {
    case 'afternoon':
      return { hour: hour === 12 ? 12 : hour + 12, shift: 0 };
    case 'evening':
      if (hour === 12) return { hour: 0, shift: 1 };
      return hour <= 4 ? { hour, shift: 1 } : { hour: hour + 12, shift: 0 };
    case 'night':
      if (hour === 12) return { hour: 0, shift: 1 };
      return hour <= 5 ? { hour, shift: 0 } : { hour: hour + 12, shift: 0 };
    case 'dawn':
      return { hour: hour === 12 ? 0 : hour, shift: 0 };
    case 'noon':
      return { hour: hour <= 3 ? hour + 12 : hour, shift: 0 };
    case 'morning':
      return { hour, shift: 0 };
    default:
      return { hour: hour >= 1 && hour <= 6 ? hour + 12 : hour, shift: 0 };
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Extract the wanted date ('YYYY-MM-DD') and time ('HH:MM'), or asap, from free text. */
export function extractWhen(text: string, now: Date): When {
  const t = normalizeText(text);
  const l = toLocal(now);
  const rel = new RegExp(`(${NUM}|半)\\s*个?\\s*(小时|钟头|分钟)\\s*(?:以后|之后|后)`).exec(t);
  if (rel) {
    const n = rel[1] === '半' ? 0.5 : cnToInt(rel[1] ?? '');
    if (Number.isFinite(n) && n > 0) {
      const at = new Date(now.getTime() + n * (rel[2] === '分钟' ? 60_000 : 3_600_000));
      return { date: localDateString(at), time: localTimeString(at), asap: false };
    }
  }
  const day = findDate(t, l);
  const clock = findClock(t);
  const period = findPeriod(t, clock ? clock.index : t.length);
  if (clock) {
    const { hour, shift } = toClock(clock.hour, period);
    const time = `${pad(hour)}:${pad(clock.minute)}`;
    if (day.date) {
      const [y, m, d] = day.date.split('-').map(Number) as [number, number, number];
      return { date: ds(y, m, d + shift), time, asap: false };
    }
    if (day.found) return { date: null, time: null, asap: false };
    const ahead = hour * 60 + clock.minute > l.hour * 60 + l.minute;
    return { date: plusDays(l, shift > 0 || !ahead ? 1 : 0), time, asap: false };
  }
  if (day.found) return { date: day.date, time: null, asap: false };
  if (period) {
    const ends: Record<Period, number> = { dawn: 6, night: 24, morning: 12, noon: 14, afternoon: 18, evening: 23 };
    return { date: plusDays(l, l.hour < ends[period] ? 0 : 1), time: null, asap: false };
  }
  return { date: null, time: null, asap: ASAP.test(t) };
}
