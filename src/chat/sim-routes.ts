import type Router from '@koa/router';
import { z } from 'zod';
import type { SimulatorChannel } from './channels/simulator.js';
import type { Db } from '../platform/db.js';
import type { ChatDirectory } from './ports.js';
import { listConversation } from './store.js';
import { HttpError } from '../kernel/errors.js';
import { readSimPage } from './sim-page.js';

export interface SimRouteDeps {
  db: Db;
  directory: ChatDirectory;
  sim: SimulatorChannel;
}

/** Directory ids are printable; anything else cannot name a person or room. */
const id = z.string().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]+$/, 'not a valid id');

const postBody = z.object({
  from: id,
  text: z.string().trim().min(1, 'text is empty').max(4000),
  room: id.optional(),
  /** People @-mentioned (directory ids), e.g. for 「派单 123456 @李建军」. */
  mentions: z.array(id).max(20).optional(),
  /** The client's own id for this message: resending with the same id never makes a second message. */
  messageId: id.max(100).optional(),
});
const listQuery = z.object({
  to: id,
  after: z.string().regex(/^\d{1,18}$/, 'after is a message id').default('0'),
  /** 1: both sides of the conversation (the /sim page); default: what the bot sent. */
  all: z.enum(['0', '1']).default('0'),
});

/** The simulator: a stable JSON API (documented in the README) and the /sim page. */
export function registerSimRoutes(router: Router, deps: SimRouteDeps): void {
  router.get('/sim', (ctx) => {
    ctx.type = 'html';
    ctx.body = readSimPage();
  });
  router.get('/sim/people', async (ctx) => {
    ctx.body = (await deps.directory.people()).map(({ id, name, role }) => ({ id, name, role }));
  });
  router.get('/sim/rooms', async (ctx) => {
    ctx.body = (await deps.directory.rooms()).map(({ id, name, kind, members }) => ({ id, name, kind, members }));
  });
  router.post('/sim/messages', async (ctx) => {
    const body = postBody.parse(ctx.request.body ?? {});
    if (!(await deps.directory.person(body.from))) throw new HttpError(404, 'unknown_person', `No person with id ${body.from}; see GET /sim/people.`);
    if (body.room) {
      if (!(await deps.directory.room(body.room))) throw new HttpError(404, 'unknown_room', `No room with id ${body.room}; see GET /sim/rooms.`);
      if (!(await deps.directory.isMember(body.room, body.from))) throw new HttpError(403, 'not_a_member', `${body.from} is not a member of ${body.room}.`);
    }
    const id = await deps.sim.receive(body);
    ctx.status = 202;
    ctx.body = { id };
  });
  router.get('/sim/messages', async (ctx) => {
    const q = listQuery.parse(ctx.query);
    const room = await deps.directory.room(q.to);
    ctx.body = await listConversation(deps.db, room ? { roomId: room.id } : { personId: q.to }, q.after, { withInbound: q.all === '1' });
  });
}
