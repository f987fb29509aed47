import type { Redis } from 'ioredis';
import type { Session } from './step.js';

/** Drafts are kept for a week of silence; the 30-minute idle rule only changes what the bot says. */
const SESSION_TTL_S = 7 * 24 * 3600;

/** Conversation state in Redis, so a restart of the service resumes every draft. */
export function createSessionStore(redis: Redis, prefix: string) {
  const key = (personId: string) => `${prefix}:conv:${personId}`;
  return {
    async get(personId: string): Promise<Session | null> {
      const raw = await redis.get(key(personId));
      return raw ? upgrade(JSON.parse(raw) as Session | LegacySession) : null;
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

/** A draft saved before flows learned their slot types from features: { draft: { description, category, … } }. */
interface LegacySession {
  flow: string;
  stepId: string;
  draft: Record<string, unknown> & { description?: string };
  savedOffered: boolean;
  duplicateAsked?: boolean;
  updatedAt: string;
}

function upgrade(s: Session | LegacySession): Session {
  if (!('draft' in s)) return s;
  const { description = '', ...values } = s.draft;
  for (const key of Object.keys(values)) if (values[key] === null) delete values[key];
  return { flow: s.flow, stepId: s.stepId, values, firstText: description, savedOffered: s.savedOffered, flags: s.duplicateAsked ? { duplicateAsked: true } : {}, updatedAt: s.updatedAt };
}
