import type { Redis } from 'ioredis';
import type { Session } from '../conversation/step.js';

/** Drafts are kept for a week of silence; the 30-minute idle rule only changes what the bot says. */
const SESSION_TTL_S = 7 * 24 * 3600;

/** Conversation state in Redis, so a restart of the service resumes every draft. */
export function createSessionStore(redis: Redis, prefix: string) {
  const key = (personId: string) => `${prefix}:conv:${personId}`;
  return {
    async get(personId: string): Promise<Session | null> {
      const raw = await redis.get(key(personId));
      return raw ? (JSON.parse(raw) as Session) : null;
    },
    async save(personId: string, session: Session): Promise<void> {
      await redis.set(key(personId), JSON.stringify(session), 'EX', SESSION_TTL_S);
    },
    async clear(personId: string): Promise<void> {
      await redis.del(key(personId));
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
