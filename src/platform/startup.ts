/**
 * Start-up failures in one line that says what to do, with secrets masked: the operator reads it in a
 * terminal or a service log, not a stack trace.
 */

/** A start-up failure whose message already says what happened and what to do. */
export class StartupError extends Error {
  readonly code = 'startup_failed';
}

/** Network errors that mean "nothing answers there". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);
/** PostgreSQL SQLSTATEs that name a fix. */
const PG_HINTS: Readonly<Record<string, string>> = {
  '28P01': 'the password is wrong',
  '28000': 'that user may not log in',
  '3D000': 'that database does not exist (create it, or name another in DATABASE_URL)',
  '42501': 'that user may not create tables there',
};

/**
 * `postgres://user:secret@host/db` → `postgres://user:***@host/db`, also inside longer text.
 * @example maskSecrets('redis://:pw@10.0.0.5:6379') // 'redis://:***@10.0.0.5:6379'
 */
export function maskSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}

/**
 * Why the database could not be opened, as one line with the fix.
 * @example databaseProblem(err, 'postgres://u:p@db:5432/linli') // 'the database at postgres://u:***@db:5432/linli does not answer (ECONNREFUSED). Start …'
 */
export function databaseProblem(err: unknown, url: string | null, dataDir: string): StartupError {
  const code = (err as { code?: string }).code ?? '';
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  if (!url) return new StartupError(`the embedded database in ${dataDir} could not be opened (${maskSecrets(detail ?? '')}). Check that the folder is writable and no other linli uses it, or set DATABASE_URL.`);
  const where = `the database at ${maskSecrets(url)}`;
  if (UNREACHABLE.has(code)) return new StartupError(`${where} does not answer (${code}). Start PostgreSQL there, or unset DATABASE_URL to use the embedded database.`);
  const hint = PG_HINTS[code];
  if (hint) return new StartupError(`${where} refused us: ${hint}. Fix DATABASE_URL.`);
  return new StartupError(`${where} could not be used: ${maskSecrets(detail ?? '')}. Check DATABASE_URL.`);
}

/** Errors whose message already says what to do: ours, the config's, Redis set-up's, a broken flow file's. */
const KNOWN_CODES = new Set(['startup_failed', 'redis_setup', 'config_invalid', 'flow_invalid']);

/** The one line `linli cannot start: …` prints for any error. */
export function describeStartupError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as unknown as { code?: unknown }).code;
    const known = typeof code === 'string' && KNOWN_CODES.has(code);
    const text = known ? err.message : `${err.message.split('\n')[0]} (unexpected; please report it with the log above)`;
    return maskSecrets(text).replace(/\n\s*/g, '; ');
  }
  return maskSecrets(String(err));
}
