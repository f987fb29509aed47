import { z } from 'zod';

/** Comma-separated list of positive numbers, e.g. "10,30,60". */
const numberList = (count: number, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) => s.split(',').map((p) => Number(p.trim())))
    .refine((a) => a.length === count && a.every((n) => Number.isFinite(n) && n > 0), {
      message: `expected ${count} positive numbers separated by commas`,
    });

const clockRange = (fallback: string) =>
  z
  .string()
  .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'expected HH:MM-HH:MM')
  .default(fallback)
  .transform((s) => {
    const [start, end] = s.split('-') as [string, string];
    return { start, end };
  });

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier').optional(),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  REDIS_AUTOSTART: flag.default(true),
  QUEUE_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('linli'),
  CHANNELS: z
    .string()
    .default('sim')
    .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['sim', 'wechaty'])).min(1)),
  WECHATY_NAME: z.string().default('linli'),
  WECHATY_PUPPET: z.string().optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().optional(),
  SEED_DEMO: flag.default(true),
  ESCALATION_MINUTES: numberList(3, '10,30,60'),
  QUIET_HOURS: clockRange('22:00-07:00'),
  AUTO_CONFIRM_HOURS: z.coerce.number().positive().default(48),
  DRAFT_IDLE_MINUTES: z.coerce.number().positive().default(30),
  CHECKIN_SCHEDULE: flag.default(true),
  CHECKIN_NUDGE_MINUTES: z.coerce.number().positive().default(30),
  CHECKIN_SUMMARY_MINUTES: z.coerce.number().positive().default(60),
  SERVICE_CIRCLE_M: z.coerce.number().positive().default(1200),
  OFFER_TOP_N: z.coerce.number().int().min(1).max(50).default(5),
});

export type Config = ReturnType<typeof readConfig>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

/**
 * Read and validate the environment once.
 * @example readConfig({ PORT: '3001' }).port // 3001
 */
export function readConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration, fix these variables (each is explained in .env.example): ${lines.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL ?? null,
    databaseSchema: e.DATABASE_SCHEMA ?? null,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisAutostart: e.REDIS_AUTOSTART,
    queuePrefix: e.QUEUE_PREFIX,
    queueLockMs: e.QUEUE_LOCK_MS,
    channels: e.CHANNELS,
    wechaty: { name: e.WECHATY_NAME, puppet: e.WECHATY_PUPPET ?? null, token: e.WECHATY_PUPPET_SERVICE_TOKEN ?? null },
    seedDemo: e.SEED_DEMO,
    checkins: { schedule: e.CHECKIN_SCHEDULE, nudgeMinutes: e.CHECKIN_NUDGE_MINUTES, summaryMinutes: e.CHECKIN_SUMMARY_MINUTES },
    orders: {
      escalationMinutes: e.ESCALATION_MINUTES as [number, number, number],
      quietHours: e.QUIET_HOURS,
      autoConfirmHours: e.AUTO_CONFIRM_HOURS,
      draftIdleMinutes: e.DRAFT_IDLE_MINUTES,
      serviceCircleM: e.SERVICE_CIRCLE_M,
      offerTopN: e.OFFER_TOP_N,
    },
  };
}
