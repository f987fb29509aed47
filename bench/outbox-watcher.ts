/**
 * Sees each message row as it commits, with one poller for the whole bench instead of a query per order: every
 * POLL_MS it reads the rows after the last id seen. Ids are taken when a transaction inserts, not when it commits,
 * so a row may appear below ids already read; the watcher keeps the gaps it has seen open for GAP_TTL_MS and reads
 * from the oldest one again, so a late commit is still caught (and timed when it becomes visible).
 */
import type { Db } from '../src/platform/db.js';
import { minOf, nowMs, sleep } from './stats.js';

export interface WatchedRow {
  id: number;
  direction: 'in' | 'out';
  personId: string | null;
  roomId: string | null;
  text: string;
  /** When the watcher first saw the row (bench clock, ms). */
  seenAt: number;
}

/** How often the outbox is read: the resolution of every delivery time the bench reports. */
export const POLL_MS = 2;
/** A missing id older than this is a rolled-back insert, not a slow commit. */
const GAP_TTL_MS = 3000;
const BATCH = 5000;

export interface OutboxWatcher {
  /** Called for every new row, in id order per poll. */
  subscribe(fn: (row: WatchedRow) => void): () => void;
  stop(): Promise<void>;
}

/** Start watching rows with an id above the current maximum. */
export async function startOutboxWatcher(db: Db): Promise<OutboxWatcher> {
  const { rows: top } = await db.query<{ max: string | null }>('SELECT max(id)::text AS max FROM messages');
  let maxSeen = Number(top[0]?.max ?? 0);
  const gaps = new Map<number, number>(); // missing id → when first noticed
  const seen = new Set<number>();
  const listeners = new Set<(row: WatchedRow) => void>();
  let running = true;
  let failing = false;

  const poll = async () => {
    const now = nowMs();
    for (const [id, since] of gaps) if (now - since > GAP_TTL_MS) gaps.delete(id);
    const from = gaps.size > 0 ? minOf(gaps.keys()) - 1 : maxSeen;
    // `id` stays bigint (a string in node-postgres): ordering by an `id::text` alias would sort as text and scan.
    const { rows } = await db.query<{ id: string; direction: 'in' | 'out'; person_id: string | null; room_id: string | null; text: string }>(
      'SELECT id, direction, person_id, room_id, text FROM messages WHERE id > $1 ORDER BY id LIMIT $2',
      [from, BATCH],
    );
    const seenAt = nowMs();
    for (const r of rows) {
      const id = Number(r.id);
      if (seen.has(id)) continue;
      seen.add(id);
      gaps.delete(id);
      for (let missing = maxSeen + 1; missing < id; missing++) if (!seen.has(missing)) gaps.set(missing, seenAt);
      maxSeen = Math.max(maxSeen, id);
      const row: WatchedRow = { id, direction: r.direction, personId: r.person_id, roomId: r.room_id, text: r.text, seenAt };
      for (const fn of listeners) fn(row);
    }
    // Ids below every open gap can never reappear; forget them so the set stays small.
    const floor = gaps.size > 0 ? minOf(gaps.keys()) : maxSeen;
    for (const id of seen) if (id < floor) seen.delete(id);
  };

  const loop = (async () => {
    while (running) {
      // A failed poll is retried; rows are never lost, only seen later. Said once, so a stage that then times out
      // can be understood.
      await poll().then(
        () => (failing = false),
        (err: unknown) => {
          if (!failing) process.stderr.write(`outbox poll failed (retrying): ${err instanceof Error ? err.message : String(err)}\n`);
          failing = true;
        },
      );
      await sleep(POLL_MS);
    }
  })();

  return {
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
