import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { HttpError } from '../kernel/errors.js';

export { HttpError };

/** Redis or the database did not answer: tell the caller to retry rather than pretend. */
const UNAVAILABLE = new Set(['unavailable', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'NR_CLOSED']);

/** The one catch-all for HTTP: known errors become JSON answers; only the unexpected is logged. */
export function errorMiddleware(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof HttpError) {
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.message } };
      } else if (err instanceof ZodError) {
        ctx.status = 400;
        ctx.body = { error: { code: 'invalid_input', message: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } };
      } else if ((err as { status?: number; expose?: boolean }).expose) {
        const e = err as { status: number; message: string };
        ctx.status = e.status;
        ctx.body = { error: { code: 'bad_request', message: e.message } };
      } else if (UNAVAILABLE.has((err as { code?: string }).code ?? '')) {
        ctx.status = 503;
        ctx.set('Retry-After', '5');
        ctx.body = { error: { code: 'unavailable', message: 'A backing service is not answering; please retry shortly.' } };
        log.warn({ err, path: ctx.path }, 'backing service unavailable');
      } else {
        ctx.status = 500;
        ctx.body = { error: { code: 'internal', message: 'Something went wrong on our side.' } };
        log.error({ err, path: ctx.path }, 'unexpected error');
      }
    }
  };
}
