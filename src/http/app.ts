import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import { errorMiddleware, HttpError } from './errors.js';

/** A feature's routes, registered on the one router. */
export type RouteRegistrar = (router: Router) => void;

/** Largest JSON body we accept; chat messages are short. */
const JSON_LIMIT = '256kb';

/**
 * The Koa app with every feature's routes; never listens (main.ts does).
 * @example request(createHttpApp({ log, routes: [orders.routes] }).callback()).get('/api/orders/123456')
 */
export function createHttpApp(deps: { log: Logger; routes: readonly RouteRegistrar[] }): { app: Koa; router: Router } {
  const app = new Koa();
  const router = new Router();
  app.use(errorMiddleware(deps.log));
  app.use(
    bodyParser({
      jsonLimit: JSON_LIMIT,
      onError: () => {
        throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
      },
    }),
  );
  for (const register of deps.routes) register(router);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, router };
}
