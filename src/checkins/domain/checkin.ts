/**
 * Twice-daily check-ins (每日两碰头, SPEC §5): per-community slot settings, which slots are due at a given
 * instant, and reading a worker's reply into needs, risks, closings and conversions. Pure: `now` is passed in.
 */
import { normalizeText } from '../../kernel/text.js';
import { addLocalDays, localDateString, parseLocal, toLocal } from '../../kernel/shanghai-time.js';
import { SLOT_NAMES, type SlotName } from './vocabulary.js';

export { parseCheckinReply, type CheckinLine, type ParsedReply } from './reply.js';
export { checkinSay, type CheckinSummary } from './messages.js';
export * from './vocabulary.js';

export interface CheckinSettings {
  /** 'HH:MM' Shanghai wall-clock time of each slot. */
  slots: Record<SlotName, string>;
  /** Weekdays (0 = Sunday … 6 = Saturday) on which nothing is sent. */
  restDays: number[];
  /** 'YYYY-MM-DD' dates on which nothing is sent. */
  holidays: string[];
}


export const DEFAULT_CHECKIN_SETTINGS: CheckinSettings = {
  slots: { morning: '08:30', evening: '17:30' },
  restDays: [],
  holidays: [],
};

const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const YYYY_MM_DD = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const SUNDAY = 0;
const SATURDAY = 6;
/** Hostile settings could list millions of dates; a community needs a few dozen a year. */
const MAX_HOLIDAYS = 1000;
const MS_PER_MINUTE = 60_000;
/** A window longer than a day would reach slots older than yesterday's, which are never re-prompted. */
const MAX_WINDOW_MINUTES = 24 * 60;

/**
 * Read settings from untrusted JSON (communities.settings.checkins), falling back to defaults field by field;
 * invalid values are ignored. Slots must keep morning before evening, else both slots fall back to the defaults.
 * @example readCheckinSettings({ slots: { morning: '9:00' }, restDays: [0, 6, 9] }) // { slots: { morning: '09:00', evening: '17:30' }, restDays: [0, 6], holidays: [] }
 */
export function readCheckinSettings(raw: unknown): CheckinSettings {
  const obj = asRecord(typeof raw === 'string' ? parseJson(raw) : raw);
  return {
    slots: readSlots(ownField(obj, 'slots')),
    restDays: readRestDays(ownField(obj, 'restDays')),
    holidays: readHolidays(ownField(obj, 'holidays')),
  };
}

/**
 * The slots that should have been prompted by `now` and whose window [slot time, slot time + windowMinutes) is
 * still open, earliest first; [] on rest days and holidays. Looks at yesterday too, so a late-evening slot whose
 * window crosses midnight still counts (its `date` is then yesterday's).
 * @example dueSlots(DEFAULT_CHECKIN_SETTINGS, fromLocal(2026, 6, 4, 8, 40), 30) // [{ slot: 'morning', date: '2026-06-04', at: fromLocal(2026, 6, 4, 8, 30) }]
 */
export function dueSlots(settings: CheckinSettings, now: Date, windowMinutes: number): { slot: SlotName; date: string; at: Date }[] {
  if (!Number.isFinite(windowMinutes) || windowMinutes <= 0) return [];
  const windowMs = Math.min(windowMinutes, MAX_WINDOW_MINUTES) * MS_PER_MINUTE;
  const due: { slot: SlotName; date: string; at: Date }[] = [];
  for (const date of [localDateString(addLocalDays(now, -1)), localDateString(now)]) {
    if (isRestDay(settings, date)) continue;
    for (const slot of SLOT_NAMES) {
      const at = slotInstant(settings, date, slot);
      if (at.getTime() <= now.getTime() && now.getTime() < at.getTime() + windowMs) due.push({ slot, date, at });
    }
  }
  return due.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The instant of a slot on a local date.
 * @example slotInstant(DEFAULT_CHECKIN_SETTINGS, '2026-06-04', 'evening') // 2026-06-04T09:30:00.000Z (17:30 Shanghai)
 */
export function slotInstant(settings: CheckinSettings, date: string, slot: SlotName): Date {
  return parseLocal(date, settings.slots[slot]);
}

/**
 * Whether nothing is sent on this local date: a configured rest weekday or holiday.
 * @example isRestDay({ ...DEFAULT_CHECKIN_SETTINGS, restDays: [0] }, '2026-06-07') // true (a Sunday)
 */
export function isRestDay(settings: CheckinSettings, date: string): boolean {
  if (settings.holidays.includes(date)) return true;
  return settings.restDays.includes(toLocal(parseLocal(date, null)).weekday);
}

function readSlots(raw: unknown): Record<SlotName, string> {
  const obj = asRecord(raw);
  const morning = readTime(ownField(obj, 'morning')) ?? DEFAULT_CHECKIN_SETTINGS.slots.morning;
  const evening = readTime(ownField(obj, 'evening')) ?? DEFAULT_CHECKIN_SETTINGS.slots.evening;
  // 'HH:MM' strings compare in time order.
  if (morning >= evening) return { ...DEFAULT_CHECKIN_SETTINGS.slots };
  return { morning, evening };
}

function readTime(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const match = HH_MM.exec(normalizeText(raw));
  if (!match) return null;
  return `${match[1]!.padStart(2, '0')}:${match[2]!}`;
}

function readRestDays(raw: unknown): number[] {
  if (!Array.isArray(raw)) return [...DEFAULT_CHECKIN_SETTINGS.restDays];
  const days = raw.filter((d): d is number => Number.isInteger(d) && d >= SUNDAY && d <= SATURDAY);
  return [...new Set(days)].sort((a, b) => a - b);
}

function readHolidays(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [...DEFAULT_CHECKIN_SETTINGS.holidays];
  const dates = raw.slice(0, MAX_HOLIDAYS).map(readDate).filter((d): d is string => d !== null);
  return [...new Set(dates)].sort();
}

/** A real calendar date as 'YYYY-MM-DD' (zero-padded), or null. */
function readDate(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const match = YYYY_MM_DD.exec(normalizeText(raw));
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return `${match[1]!}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function asRecord(raw: unknown): Record<string, unknown> | null {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
}

/** Own properties only, so nothing is read through a prototype. */
function ownField(obj: Record<string, unknown> | null, key: string): unknown {
  return obj !== null && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
