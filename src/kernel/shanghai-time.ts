/**
 * Wall-clock arithmetic in Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991,
 * so a fixed offset is exact and keeps the domain free of Intl time-zone lookups.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** @example toLocal(new Date('2026-06-04T02:00:00Z')) // { year: 2026, month: 6, day: 4, hour: 10, … } */
export function toLocal(instant: Date): LocalDateTime {
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    weekday: shifted.getUTCDay(),
  };
}

/** The instant of a Shanghai wall-clock time. Out-of-range days roll over (day 32 → next month). */
export function fromLocal(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - OFFSET_MS);
}

/** 'YYYY-MM-DD' of the instant in Shanghai. */
export function localDateString(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'HH:MM' of the instant in Shanghai. */
export function localTimeString(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(11, 16);
}

/** Add whole calendar days in Shanghai, keeping the wall-clock time. */
export function addLocalDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/** Minutes since Shanghai midnight. */
export function localMinuteOfDay(instant: Date): number {
  const t = toLocal(instant);
  return t.hour * 60 + t.minute;
}

/** Parse 'YYYY-MM-DD' and optional 'HH:MM' as Shanghai wall-clock time. */
export function parseLocal(date: string, time: string | null): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = (time ?? '00:00').split(':').map(Number) as [number, number];
  return fromLocal(y, m, d, hh, mm);
}
