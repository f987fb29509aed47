import type Router from '@koa/router';
import { z } from 'zod';
import { HttpError } from '../kernel/errors.js';
import type { Db } from '../platform/db.js';
import { parseIntake, type Term } from './domain/intake/index.js';
import { getCandidates, getOrderByNo, getOrderHistory } from './store.js';

export interface OrderRouteDeps {
  db: Db;
  now: () => Date;
  terms: readonly Term[];
}

const parseBody = z.object({
  text: z.string().max(4000),
  now: z.iso.datetime({ offset: true }).optional(),
});

const ORDER_NO = /^\d{3,6}$/;

/**
 * GET /api/orders/:no: the order, its status history and the ranked candidates with their score parts.
 * POST /api/intake/parse: what the bot understands of a sentence (category, urgency, wanted date and time).
 */
export function registerOrderRoutes(router: Router, deps: OrderRouteDeps): void {
  router.post('/api/intake/parse', async (ctx) => {
    const input = parseBody.parse(ctx.request.body ?? {});
    const { category, confidence, urgent, when } = parseIntake(input.text, input.now ? new Date(input.now) : deps.now(), deps.terms);
    ctx.body = { category, confidence, urgent, when: { date: when.date, time: when.time } };
  });
  router.get('/api/orders/:no', async (ctx) => {
    const no = ctx.params.no ?? '';
    if (!ORDER_NO.test(no)) throw new HttpError(400, 'invalid_order_no', 'An order number is 3 to 6 digits.');
    const order = await getOrderByNo(deps.db, no);
    if (!order) throw new HttpError(404, 'order_not_found', `No order numbered ${no}.`);
    const [history, candidates] = await Promise.all([getOrderHistory(deps.db, order.id), getCandidates(deps.db, order.id)]);
    ctx.body = { ...order, history, candidates };
  });
}
