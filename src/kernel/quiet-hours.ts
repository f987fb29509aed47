/** Quiet hours: no pings at night (SPEC §4.4), except for emergencies. Shanghai wall-clock time. */
import { fromLocal, localMinuteOfDay, toLocal } from './shanghai-time.js';

export interface QuietHours {
  /** 'HH:MM' local time the quiet period starts (inclusive), e.g. '22:00'. */
  start: string;
  /** 'HH:MM' local time it ends (exclusive), e.g. '07:00'. May be earlier than start: the period crosses midnight. */
  end: string;
}

const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function parseMinutes(value: string, field: 'start' | 'end'): number {
  const match = HH_MM.exec(value.trim());
  if (!match) throw new RangeError(`quiet hours ${field} must be 'HH:MM' (00:00–23:59), got '${value}'`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Whether the local time `at` falls inside the quiet period. Equal start and end means no quiet period.
 * @example isQuiet(fromLocal(2026, 6, 4, 23, 0), { start: '22:00', end: '07:00' }) // true
 */
export function isQuiet(at: Date, quiet: QuietHours): boolean {
  const start = parseMinutes(quiet.start, 'start');
  const end = parseMinutes(quiet.end, 'end');
  if (start === end) return false;
  const minute = localMinuteOfDay(at);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * When a message due at `at` may be sent: `at` itself outside quiet hours or when urgent,
 * otherwise the next local `end` time (07:00 the same or the next morning).
 * @example nextSendTime(fromLocal(2026, 6, 4, 23, 15), { start: '22:00', end: '07:00' }, false) // fromLocal(2026, 6, 5, 7, 0)
 */
export function nextSendTime(at: Date, quiet: QuietHours, urgent: boolean): Date {
  if (urgent || !isQuiet(at, quiet)) return at;
  const end = parseMinutes(quiet.end, 'end');
  const local = toLocal(at);
  const sameDay = fromLocal(local.year, local.month, local.day, Math.floor(end / 60), end % 60);
  // Inside the period, today's end is either still ahead (after midnight) or already past (before midnight).
  if (sameDay.getTime() > at.getTime()) return sameDay;
  return fromLocal(local.year, local.month, local.day + 1, Math.floor(end / 60), end % 60);
}
