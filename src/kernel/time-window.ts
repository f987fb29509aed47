/** Time windows of orders: when a service happens and whether two of them collide. */

export interface TimeWindow {
  start: Date;
  end: Date;
}

const HOUR_MS = 60 * 60 * 1000;
/** A window must not be empty, or it could never collide; a visit takes at least a quarter of an hour. */
export const MIN_WINDOW_HOURS = 0.25;

type Instant = Date | number;

function toMs(instant: Instant): number {
  return typeof instant === 'number' ? instant : instant.getTime();
}

/**
 * Whether the half-open intervals [aStart, aEnd) and [bStart, bEnd) share any moment.
 * Back-to-back windows (one ends when the other starts) do not overlap. Accepts Dates or epoch milliseconds.
 * @example overlaps(new Date('2026-06-04T02:00Z'), new Date('2026-06-04T04:00Z'), new Date('2026-06-04T03:00Z'), new Date('2026-06-04T05:00Z')) // true
 */
export function overlaps(aStart: Instant, aEnd: Instant, bStart: Instant, bEnd: Instant): boolean {
  return toMs(aStart) < toMs(bEnd) && toMs(bStart) < toMs(aEnd);
}

/**
 * The window an order occupies: from the wanted time (or `now` when the resident wants it as soon as possible)
 * for the planned hours, never shorter than `MIN_WINDOW_HOURS`.
 * @example orderWindow('2026-06-04T02:00:00Z', 2, now) // { start: 02:00Z, end: 04:00Z }
 */
export function orderWindow(wantedAt: string | Date | null, plannedHours: number, now: Date): TimeWindow {
  const startMs = wantedAt === null ? now.getTime() : typeof wantedAt === 'string' ? Date.parse(wantedAt) : wantedAt.getTime();
  if (Number.isNaN(startMs)) throw new RangeError(`orderWindow: wantedAt is not a valid instant: ${String(wantedAt)}`);
  const hours = Number.isFinite(plannedHours) ? Math.max(plannedHours, MIN_WINDOW_HOURS) : MIN_WINDOW_HOURS;
  return { start: new Date(startMs), end: new Date(startMs + hours * HOUR_MS) };
}
