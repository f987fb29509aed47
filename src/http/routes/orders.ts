import type Router from '@koa/router';
import type { Db } from '../../store/db.js';
import { getCandidates, getOrderByNo, getOrderHistory } from '../../store/orders.js';
import { HttpError } from '../errors.js';

export interface OrderRouteDeps {
  db: Db;
}

const ORDER_NO = /^\d{3,6}$/;

/** GET /api/orders/:no: the order, its status history and the ranked candidates with their score parts. */
export function registerOrderRoutes(router: Router, deps: OrderRouteDeps): void {
  router.get('/api/orders/:no', async (ctx) => {
    const no = ctx.params.no ?? '';
    if (!ORDER_NO.test(no)) throw new HttpError(400, 'invalid_order_no', 'An order number is 3 to 6 digits.');
    const order = await getOrderByNo(deps.db, no);
    if (!order) throw new HttpError(404, 'order_not_found', `No order numbered ${no}.`);
    const [history, candidates] = await Promise.all([getOrderHistory(deps.db, order.id), getCandidates(deps.db, order.id)]);
    ctx.body = { ...order, history, candidates };
  });
}
