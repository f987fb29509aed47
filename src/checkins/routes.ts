import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ITEM_STATUSES, RISK_LEVELS, SLOT_NAMES, TIERS } from './domain/vocabulary.js';
import { localDateString } from '../kernel/shanghai-time.js';
import type { Checkins } from './service.js';
import { getAttendance, listSlots } from './store.js';
import type { Db } from '../platform/db.js';
import { getCommunity, getPerson } from '../directory/index.js';
import { getItem, listItems, updateItem, type Item, type ItemKind } from './items.js';
import { toCsv } from '../kernel/csv.js';
import { HttpError } from '../kernel/errors.js';

export interface CheckinRouteDeps {
  db: Db;
  checkins: Checkins;
  now: () => Date;
}

const runBody = z.object({
  community: z.string().min(1),
  slot: z.enum(SLOT_NAMES),
  tier: z.enum(TIERS),
  date: z.iso.date().optional(),
  force: z.boolean().default(false),
});
const listQuery = z.object({ community: z.string().min(1), date: z.iso.date().optional() });
const itemQuery = z.object({
  community: z.string().optional(),
  grid: z.string().optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  level: z.enum(RISK_LEVELS).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
const patchBody = z
  .object({ status: z.enum(['open', 'closed']).optional(), owner: z.string().min(1).optional(), note: z.string().max(1000).optional(), by: z.string().optional() })
  .refine((b) => b.status || b.owner || b.note, 'send status, owner or note');

const CSV_HEADERS = ['编号', '类型', '社区', '网格', '内容', '等级', '状态', '上报人', '负责人', '说明', '转单单号', '上报时间', '销号时间'];
const KIND_NAMES: Record<ItemKind, string> = { need: '需求', risk: '隐患' };
const STATUS_NAMES: Record<string, string> = { open: '未销号', closed: '已销号', converted: '已转单' };
const shanghai = (d: Date | null) => (d ? `${localDateString(d)} ${d.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}` : '');

function itemsBody(ctx: Context, kind: ItemKind, items: Item[]): void {
  if (ctx.query.format !== 'csv') {
    ctx.body = items;
    return;
  }
  ctx.type = 'text/csv; charset=utf-8';
  ctx.attachment(`${kind === 'need' ? 'needs' : 'risks'}.csv`);
  ctx.body = toCsv(
    CSV_HEADERS,
    items.map((i) => [i.no, KIND_NAMES[i.kind], i.communityId, i.gridId, i.text, i.level, STATUS_NAMES[i.status], i.reporterName, i.ownerName, i.note, i.orderNo, shanghai(i.createdAt), shanghai(i.closedAt)]),
  );
}

/** Check-ins and the needs and risk lists, for operators and district staff. */
export function registerCheckinRoutes(router: Router, deps: CheckinRouteDeps): void {
  router.post('/api/checkins/run', async (ctx) => {
    const body = runBody.parse(ctx.request.body ?? {});
    if (!(await getCommunity(deps.db, body.community))) throw new HttpError(404, 'unknown_community', `No community ${body.community}.`);
    const results = await deps.checkins.fire(body.community, body.slot, body.date ?? localDateString(deps.now()), { tier: body.tier, force: body.force });
    ctx.body = { prompted: results.filter((r) => r.prompted).map((r) => r.roomId), alreadySent: results.filter((r) => !r.prompted).map((r) => r.roomId) };
  });

  router.get('/api/checkins', async (ctx) => {
    const q = listQuery.parse(ctx.query);
    const slots = await listSlots(deps.db, q.community, q.date ?? localDateString(deps.now()));
    ctx.body = await Promise.all(
      slots.map(async (s) => ({
        slot: s.slot,
        tier: s.tier,
        room: s.roomId,
        roomName: s.roomName,
        date: s.date,
        promptedAt: s.promptedAt,
        nudgedAt: s.nudgedAt,
        summarizedAt: s.summarizedAt,
        expected: (await getAttendance(deps.db, s.id)).map((a) => ({ id: a.personId, name: a.name, answeredAt: a.answeredAt })),
      })),
    );
  });

  for (const [path, kind] of [['needs', 'need'], ['risks', 'risk']] as const) {
    router.get(`/api/${path}`, async (ctx) => {
      const q = itemQuery.parse(ctx.query);
      itemsBody(ctx, kind, await listItems(deps.db, { kind, community: q.community, grid: q.grid, status: q.status, level: q.level }));
    });
    router.patch(`/api/${path}/:no`, async (ctx) => {
      const body = patchBody.parse(ctx.request.body ?? {});
      const item = await getItem(deps.db, ctx.params.no ?? '');
      if (!item || item.kind !== kind) throw new HttpError(404, 'item_not_found', `No ${kind} numbered ${ctx.params.no}.`);
      if (item.status === 'converted' && body.status) throw new HttpError(409, 'item_converted', `${item.no} became order ${item.orderNo}; change the order instead.`);
      for (const id of [body.owner, body.by]) if (id && !(await getPerson(deps.db, id))) throw new HttpError(400, 'unknown_person', `No person ${id}.`);
      ctx.body = await updateItem(deps.db, item.no, { ownerId: body.owner, status: body.status, note: body.note, by: body.by });
    });
  }
}
