import type Router from '@koa/router';
import { z } from 'zod';
import { parseIntake } from '../../domain/intake/index.js';

const body = z.object({
  text: z.string().max(4000),
  now: z.iso.datetime({ offset: true }).optional(),
});

/** POST /api/intake/parse: what the bot understands of a sentence (category, urgency, wanted date and time). */
export function registerIntakeRoutes(router: Router, deps: { now: () => Date }): void {
  router.post('/api/intake/parse', async (ctx) => {
    const input = body.parse(ctx.request.body ?? {});
    const { category, confidence, urgent, when } = parseIntake(input.text, input.now ? new Date(input.now) : deps.now());
    ctx.body = { category, confidence, urgent, when: { date: when.date, time: when.time } };
  });
}
