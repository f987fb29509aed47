import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import { errorMiddleware, HttpError } from './errors.js';
import { registerCheckinRoutes, type CheckinRouteDeps } from './routes/checkins.js';
import { registerHealthRoutes, type HealthDeps } from './routes/health.js';
import { registerIntakeRoutes } from './routes/intake.js';
import { registerOrderRoutes, type OrderRouteDeps } from './routes/orders.js';
import { registerSimRoutes, type SimRouteDeps } from './routes/sim.js';

export type HttpDeps = HealthDeps & OrderRouteDeps & CheckinRouteDeps & Partial<SimRouteDeps> & { log: Logger; now: () => Date };

/** Largest JSON body we accept; chat messages are short. */
const JSON_LIMIT = '256kb';

/**
 * The Koa app with every route; never listens (main.ts does).
 * @example request(createHttpApp(deps).callback()).get('/healthz')
 */
export function createHttpApp(deps: HttpDeps): Koa {
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
  registerHealthRoutes(router, deps);
  registerIntakeRoutes(router, deps);
  registerOrderRoutes(router, deps);
  registerCheckinRoutes(router, deps);
  if (deps.sim) registerSimRoutes(router, deps as SimRouteDeps);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
