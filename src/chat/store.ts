import type { Db, Queryable } from '../platform/db.js';

export interface StoredInbound {
  id: string;
  channel: string;
  personId: string | null;
  roomId: string | null;
  senderExternal: string;
  text: string;
  mentionsBot: boolean;
  /** Directory ids of the people mentioned. */
  mentions: string[];
  status: string;
  createdAt: Date;
}

/**
 * Persist an inbound message once per platform message id.
 * @returns its id, whether this call stored it, and how far it got ('received' → 'done')
 */
export async function recordInbound(
  db: Db,
  m: { channel: string; platformMessageId: string; personId: string | null; roomId: string | null; senderExternal: string; text: string; mentions: string[]; mentionsBot: boolean },
): Promise<{ id: string; fresh: boolean; status: string }> {
  const inserted = await db.query<{ id: string; status: string }>(
    `INSERT INTO messages (channel, direction, platform_message_id, person_id, room_id, sender_external, text, mentions, mentions_bot)
     VALUES ($1, 'in', $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (channel, platform_message_id) WHERE direction = 'in' DO NOTHING RETURNING id::text, status`,
    [m.channel, m.platformMessageId, m.personId, m.roomId, m.senderExternal, m.text, JSON.stringify(m.mentions), m.mentionsBot],
  );
  if (inserted.rows[0]) return { ...inserted.rows[0], fresh: true };
  // A redelivery: read the first copy (a separate statement, so it sees the row a racing insert committed).
  const { rows } = await db.query<{ id: string; status: string }>(
    `SELECT id::text, status FROM messages WHERE channel = $1 AND platform_message_id = $2 AND direction = 'in'`,
    [m.channel, m.platformMessageId],
  );
  return { ...(rows[0] as { id: string; status: string }), fresh: false };
}

/** Mark an inbound message handled ('received' → 'done'). */
export async function setInboundStatus(db: Queryable, id: string, status: 'done'): Promise<void> {
  await db.query(`UPDATE messages SET status = $2 WHERE id = $1 AND direction = 'in'`, [id, status]);
}

/** Inbound messages received before `before` and never handled, oldest first: for the sweep. */
export async function listStrandedInbound(db: Db, before: Date, limit = 500): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM messages WHERE direction = 'in' AND status = 'received' AND person_id IS NOT NULL
       AND created_at < $1 AND created_at > $1 - interval '1 day' ORDER BY id LIMIT $2`,
    [before, limit],
  );
  return rows.map((r) => r.id);
}

/** Whether an inbound message was already handled (a redelivered job finds it so and stops). */
export async function isInboundDone(db: Db, id: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM messages WHERE id = $1 AND status = 'done'`, [id]);
  return rows.length > 0;
}

export async function getInbound(db: Db, id: string): Promise<StoredInbound | null> {
  const { rows } = await db.query<{ id: string; channel: string; person_id: string | null; room_id: string | null; sender_external: string; text: string; mentions: string[]; mentions_bot: boolean; status: string; created_at: Date }>(
    `SELECT id::text, channel, person_id, room_id, sender_external, text, mentions, mentions_bot, status, created_at FROM messages WHERE id = $1 AND direction = 'in'`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return { id: r.id, channel: r.channel, personId: r.person_id, roomId: r.room_id, senderExternal: r.sender_external, text: r.text, mentionsBot: r.mentions_bot, mentions: r.mentions, status: r.status, createdAt: r.created_at };
}

/** Record what the bot said, to a person (privately) or in a room; the simulator reads these. */
export async function recordOutbound(db: Queryable, m: { personId: string | null; roomId: string | null; text: string; mentions: string[] }): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO messages (channel, direction, person_id, room_id, text, mentions, status) VALUES ('bot', 'out', $1, $2, $3, $4, 'sent') RETURNING id::text`,
    [m.personId, m.roomId, m.text, JSON.stringify(m.mentions)],
  );
  return (rows[0] as { id: string }).id;
}

export interface ConversationMessage {
  id: string;
  to: string;
  room?: string;
  from?: string;
  direction: 'in' | 'out';
  text: string;
  mentions: string[];
  at: string;
}

/**
 * A person's private conversation with the bot, or everything said in a room, after a message id.
 * @example listConversation(db, { personId: 'r-wang' }, '0', { withInbound: false }) // what the bot told r-wang
 */
export async function listConversation(
  db: Db,
  target: { personId: string } | { roomId: string },
  after: string,
  opts: { withInbound: boolean; limit?: number },
): Promise<ConversationMessage[]> {
  const isRoom = 'roomId' in target;
  const directions = opts.withInbound ? ['in', 'out'] : ['out'];
  const { rows } = await db.query<{ id: string; direction: 'in' | 'out'; person_id: string | null; room_id: string | null; text: string; mentions: string[]; created_at: Date }>(
    isRoom
      ? `SELECT id::text, direction, person_id, room_id, text, mentions, created_at FROM messages WHERE room_id = $1 AND id > $2 AND direction = ANY($4) ORDER BY messages.id LIMIT $3`
      : `SELECT id::text, direction, person_id, room_id, text, mentions, created_at FROM messages WHERE person_id = $1 AND room_id IS NULL AND id > $2 AND direction = ANY($4) ORDER BY messages.id LIMIT $3`,
    [isRoom ? target.roomId : target.personId, after, opts.limit ?? 200, directions],
  );
  return rows.map((r) => ({
    id: r.id,
    to: isRoom ? (r.room_id as string) : r.direction === 'out' ? (r.person_id as string) : 'bot',
    ...(isRoom ? { room: r.room_id as string } : {}),
    ...(r.direction === 'in' ? { from: r.person_id ?? undefined } : {}),
    direction: r.direction,
    text: r.text,
    mentions: r.mentions,
    at: r.created_at.toISOString(),
  }));
}

/** An outbound message and the directory ids it is for, for a delivery job. */
export async function getOutbound(db: Db, id: string): Promise<{ personId: string | null; roomId: string | null; text: string; mentions: string[] } | null> {
  const { rows } = await db.query<{ person_id: string | null; room_id: string | null; text: string; mentions: string[] }>(
    `SELECT person_id, room_id, text, mentions FROM messages WHERE id = $1 AND direction = 'out'`,
    [id],
  );
  const r = rows[0];
  return r ? { personId: r.person_id, roomId: r.room_id, text: r.text, mentions: r.mentions } : null;
}

/** One pending delivery per platform that knows the recipient, written with the message. */
export async function insertDeliveries(db: Queryable, messageId: string, channels: string[]): Promise<void> {
  await db.query(`INSERT INTO deliveries (message_id, channel) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [messageId, channels]);
}

export async function markDelivered(db: Db, messageId: string, channel: string): Promise<void> {
  await db.query(`UPDATE deliveries SET status = 'sent', sent_at = now() WHERE message_id = $1 AND channel = $2`, [messageId, channel]);
}

/** Deliveries written before `before` and not sent, for the sweep; those older than a day are left to an operator. */
export async function listStrandedDeliveries(db: Db, before: Date, limit = 500): Promise<{ messageId: string; channel: string }[]> {
  const { rows } = await db.query<{ message_id: string; channel: string }>(
    `SELECT message_id::text, channel FROM deliveries WHERE status = 'pending' AND created_at < $1 AND created_at > $1 - interval '1 day'
     ORDER BY created_at LIMIT $2`,
    [before, limit],
  );
  return rows.map((r) => ({ messageId: r.message_id, channel: r.channel }));
}
