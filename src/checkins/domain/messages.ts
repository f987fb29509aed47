/**
 * What the bot says about check-ins (每日两碰头), in one place. Short, warm, plain Simplified Chinese;
 * every message about a needs-list or risk-list item carries its number.
 */
import type { RiskLevel, SlotName, Tier } from './vocabulary.js';

export interface CheckinSummary {
  communityName: string;
  date: string;
  slot: SlotName;
  /** Names of who answered and who stayed silent, per room. */
  tiers: { tier: Tier; roomName: string; answered: string[]; silent: string[] }[];
  newNeeds: { no: string; text: string }[];
  newRisks: { no: string; text: string; level: RiskLevel }[];
  /** Oldest first. */
  openItems: { no: string; kind: 'need' | 'risk'; text: string; ageDays: number }[];
}

/** Longer lists end with 「另有 N 项」 so the summary stays readable on a phone. */
const MAX_LISTED_ITEMS = 10;
/** Silent names beyond this end with 「等 N 人」. */
const MAX_LISTED_NAMES = 10;
/** Item texts in the summary are cut to this many characters. */
const MAX_SUMMARY_TEXT = 40;

const SLOT_LABEL: Record<SlotName, string> = { morning: '早碰头', evening: '晚碰头' };
const KIND_LABEL: Record<'need' | 'risk', string> = { need: '需求', risk: '隐患' };
const REPLY_FORMAT = '一切正常回复「碰头 正常」；有情况请一行一条：\n需求：3号楼王奶奶需要买药\n隐患：5号楼楼道堆放杂物（较大）\n隐患等级可写 一般/较大/重大。';

export const checkinSay = {
  /**
   * The prompt posted at the slot.
   * @example checkinSay.prompt('grid', 'morning', '东北村社区', '第一网格碰头群') // 「【东北村社区 早碰头】第一网格碰头群的各位楼长，早上好！…」
   */
  prompt(tier: Tier, slot: SlotName, communityName: string, roomName: string): string {
    const who = tier === 'workers' ? '各位同事' : `${roomName}的各位楼长、单元长`;
    const ask =
      slot === 'morning'
        ? `${who}，早上好！请报一下今日重点、居民需求和风险隐患。`
        : `${who}，辛苦了！请说说今天的事办得怎样，有没有新的居民需求和风险隐患。办好的事项回复「销号 编号 说明」。`;
    return `【${communityName} ${SLOT_LABEL[slot]}】${ask}\n${REPLY_FORMAT}`;
  },

  /** @example checkinSay.nudge(['刘海涛']) // 「刘海涛，还没收到您的碰头回复…」 */
  nudge(names: string[]): string {
    const who = names.length > 0 ? `${names.join('、')}，还没收到您的碰头回复` : '还有同事没回复碰头';
    return `${who}，方便时回一句「碰头 正常」或报一下情况，谢谢！`;
  },

  /** @example checkinSay.hint() // 「已记下您的碰头。如有需求或隐患，…」 */
  hint(): string {
    return '已记下您的碰头。如有需求或隐患，请一行一条，用「需求：」或「隐患：」开头，比如「隐患：5号楼楼道堆放杂物（较大）」。';
  },

  /** @example checkinSay.itemCreated('need', '12') // 「已记入需求清单，编号 12。办好后回复「销号 12 说明」。」 */
  itemCreated(kind: 'need' | 'risk', no: string, level?: RiskLevel): string {
    const list = kind === 'need' ? '需求清单' : `风险隐患清单（${level ?? '一般'}）`;
    return `已记入${list}，编号 ${no}。办好后回复「销号 ${no} 说明」。`;
  },

  /** @example checkinSay.itemClosed('12') // 「编号 12 已销号，辛苦了！」 */
  itemClosed(no: string): string {
    return `编号 ${no} 已销号，辛苦了！`;
  },

  /** @example checkinSay.itemNotFound('99') // 「没有找到编号 99，请核对一下。」 */
  itemNotFound(no: string): string {
    return `没有找到编号 ${no}，请核对一下。`;
  },

  /** @example checkinSay.itemAlreadyClosed('12') // 「编号 12 已经办结了，不用再操作。」 */
  itemAlreadyClosed(no: string): string {
    return `编号 ${no} 已经办结了（销号或已转单），不用再操作。`;
  },

  /** @example checkinSay.converted('12', '100234') // 「需求 12 已转为订单，单号 100234…」 */
  converted(no: string, orderNo: string): string {
    return `需求 ${no} 已转为订单，单号 ${orderNo}，正在为居民找志愿者。`;
  },

  /** @example checkinSay.notANeed('13') // 「编号 13 不是待办的居民需求，不能转单。…」 */
  notANeed(no: string): string {
    return `编号 ${no} 不是待办的居民需求，不能转单。只有还没销号的需求可以转成订单。`;
  },

  /** Sent to the secretary at once. @example checkinSay.majorRisk('东北村社区', '13', '3号楼燃气管道漏气', '赵网格员') */
  majorRisk(communityName: string, no: string, text: string, reporterName: string): string {
    return `【重大隐患】${communityName}：${reporterName}报告「${text}」（编号 ${no}）。请尽快安排处置，处理完回复「销号 ${no} 说明」。`;
  },

  /** @example checkinSay.summary(s) // 「【东北村社区 6月4日 早碰头】\n东北村社区工作群：已报 3 人，未报 1 人（刘海涛）\n…」 */
  summary(s: CheckinSummary): string {
    const [, month, day] = s.date.split('-').map(Number);
    const lines = [`【${s.communityName} ${month ?? ''}月${day ?? ''}日 ${SLOT_LABEL[s.slot]}】`];
    for (const t of s.tiers) lines.push(`${t.roomName}：${describeTier(t.answered, t.silent)}`);
    lines.push(
      listSection(`新需求 ${s.newNeeds.length} 条`, s.newNeeds.map((n) => `#${n.no} ${shorten(n.text)}`)),
      listSection(`新隐患 ${s.newRisks.length} 条`, s.newRisks.map((r) => `#${r.no}【${r.level}】${shorten(r.text)}`)),
      listSection(
        `未销号 ${s.openItems.length} 项`,
        s.openItems.map((o) => `#${o.no} ${KIND_LABEL[o.kind]} ${shorten(o.text)} ${describeAge(o.ageDays)}`),
      ),
    );
    return lines.join('\n');
  },
};

function describeTier(answered: string[], silent: string[]): string {
  if (answered.length === 0 && silent.length === 0) return '暂无应报人员';
  if (silent.length === 0) return `已报 ${answered.length} 人，全部到齐`;
  const shown = silent.slice(0, MAX_LISTED_NAMES).join('、');
  const more = silent.length > MAX_LISTED_NAMES ? ` 等 ${silent.length} 人` : '';
  return `已报 ${answered.length} 人，未报 ${silent.length} 人（${shown}${more}）`;
}

/** 「新需求 2 条：」 then one entry a line, or 「新需求：无」. */
function listSection(title: string, entries: string[]): string {
  if (entries.length === 0) return `${title.replace(/ \d+ [条项]$/, '')}：无`;
  const shown = entries.slice(0, MAX_LISTED_ITEMS);
  const more = entries.length > MAX_LISTED_ITEMS ? [`另有 ${entries.length - MAX_LISTED_ITEMS} 项`] : [];
  return [`${title}：`, ...shown, ...more].join('\n');
}

function describeAge(ageDays: number): string {
  return ageDays < 1 ? '今天报的' : `已 ${Math.floor(ageDays)} 天`;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SUMMARY_TEXT ? `${flat.slice(0, MAX_SUMMARY_TEXT - 1)}…` : flat;
}
