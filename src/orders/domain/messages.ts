/**
 * What the bot says about orders, in one place. Short, warm, plain Simplified Chinese; every message
 * about an order carries its number. Group texts never contain a name, phone or house number of a resident.
 */
import { localDateString, localTimeString, toLocal } from '../../kernel/shanghai-time.js';

export interface OrderView {
  no: string;
  categoryName: string;
  area: string;
  wantedAt: string | null;
  urgent: boolean;
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 「6月5日(周五) 10:00」, 「今天 15:00」, or 「尽快」. */
export function formatWhen(wantedAt: string | null, now: Date): string {
  if (!wantedAt) return '尽快';
  const at = new Date(wantedAt);
  const t = toLocal(at);
  const dayDiff = Math.round((Date.parse(localDateString(at)) - Date.parse(localDateString(now))) / 86_400_000);
  const day = dayDiff === 0 ? '今天' : dayDiff === 1 ? '明天' : dayDiff === 2 ? '后天' : `${t.month}月${t.day}日(周${WEEKDAYS[t.weekday]})`;
  return `${day} ${localTimeString(at)}`;
}

/** 「李」 + masked phone: what a resident learns about the volunteer coming. */
export function volunteerIntro(name: string, maskedPhone: string | null): string {
  return `${name.slice(0, 1)}志愿者${maskedPhone ? `（电话 ${maskedPhone}）` : ''}`;
}

export const say = {
  submitted: (o: OrderView, now: Date) =>
    `好的，已为您下单，单号 ${o.no}。${o.categoryName}，${formatWhen(o.wantedAt, now)}。正在帮您找附近的志愿者，有人接单马上告诉您。`,
  duplicate: (no: string) => `您已经有一个同样的订单（单号 ${no}）还在处理。还要再下一单吗？回复「确认」继续，「取消」不下了。`,
  emergency: () =>
    '别着急！请马上拨打电话：有人受伤或晕倒打 120，着火打 119，有危险打 110。\n我已经通知网格员和社区书记，也在叫附近的志愿者赶过去。',
  emergencyOrder: (no: string, addressKnown: boolean) =>
    addressKnown ? `紧急求助单号 ${no}，志愿者会尽快赶到。` : `紧急求助单号 ${no}。请告诉我您在哪里（几号楼几单元几室），方便志愿者找到您。`,
  emergencyAddressNoted: (no: string) => `记下了（单号 ${no}），志愿者会按这个地址找您。请保持电话畅通。`,
  emergencyAddress: (no: string, address: string) => `紧急单号 ${no} 的地址：${address}`,
  emergencyStaff: (o: OrderView, residentName: string, staffNames: string) =>
    `【紧急】单号 ${o.no}：${residentName} 求助（${o.area}）。已通知 ${staffNames}，请立即联系处置。`,
  offerGroup: (o: OrderView, now: Date) =>
    `${o.urgent ? '【紧急派单】' : '【新派单】'}单号 ${o.no}：${o.categoryName}，${o.area}，${formatWhen(o.wantedAt, now)}。回复「接单 ${o.no}」认领。`,
  offerPrivate: (o: OrderView, now: Date) =>
    `${o.urgent ? '【紧急】' : ''}附近有一单适合您：单号 ${o.no}，${o.categoryName}，${o.area}，${formatWhen(o.wantedAt, now)}。方便的话回复「接单 ${o.no}」。`,
  claimedVolunteer: (o: OrderView, address: string, phone: string | null, residentName: string, now: Date) =>
    `接单成功！单号 ${o.no}：${o.categoryName}，${formatWhen(o.wantedAt, now)}。\n地址：${address}\n联系人：${residentName}${phone ? ` ${phone}` : ''}\n到了回复「到达 ${o.no}」，服务完回复「完成 ${o.no} 小时数」。`,
  claimedGroup: (no: string, volunteerName: string) => `单号 ${no} 已由 ${volunteerName} 认领，谢谢大家！`,
  claimedResident: (o: OrderView, intro: string, now: Date) => `好消息！您的订单 ${o.no} 有人接了：${intro}，${formatWhen(o.wantedAt, now)}上门。`,
  alreadyClaimed: (no: string) => `单号 ${no} 已被认领，谢谢您的热心！`,
  notClaimable: (no: string) => `单号 ${no} 已经取消或结束了，不能再接单。`,
  missingSkill: (no: string, skillNames: string) => `单号 ${no} 需要${skillNames}方面的资质，您的登记信息里还没有，暂时不能接这一单。`,
  overlapping: (no: string, otherNo: string) => `单号 ${no} 和您手上的单号 ${otherNo} 时间冲突，先完成那一单再来吧。`,
  assignOverlapping: (no: string, name: string, otherNo: string) => `${name} 手上的单号 ${otherNo} 和单号 ${no} 时间冲突，请换一位志愿者。`,
  assignMissingSkill: (no: string, name: string, skillNames: string) => `单号 ${no} 需要${skillNames}方面的资质，${name} 的登记信息里还没有，请换一位志愿者。`,
  notVolunteer: () => '接单需要先登记成为志愿者，请联系社区工作者。',
  unknownOrder: (no: string) => `没有找到单号 ${no}，请核对一下单号。`,
  noNumber: (verb: string) => `请带上单号，比如「${verb} 123456」。`,
  notYours: (no: string) => `单号 ${no} 不是您的订单，不能这样操作。`,
  wrongStatus: (no: string, statusName: string) => `单号 ${no} 现在是「${statusName}」，这一步用不上。`,
  badHours: (no: string, max: number) => `单号 ${no} 的服务时长请填 0 到 ${max} 之间的小时数，比如「完成 ${no} 1.5」。`,
  arrived: (no: string) => `已记录到达，单号 ${no}。辛苦了！`,
  arrivedResident: (no: string, intro: string) => `${intro}已经到了（单号 ${no}）。`,
  completedVolunteer: (no: string, hours: number) => `单号 ${no} 已完成，记录服务 ${hours} 小时，居民确认后计入时间银行。谢谢您！`,
  askRating: (no: string, categoryName: string) =>
    `您的订单 ${no}（${categoryName}）志愿者说已经完成了。满意吗？请回复 1-5 分和一句话，比如「5 很好」。没来或没解决请直接告诉我。`,
  ratedThanks: (no: string, stars: number) => `收到您的 ${stars} 分评价（单号 ${no}），谢谢！有需要随时找我。`,
  confirmedThanks: (no: string) => `好的，单号 ${no} 已确认完成，谢谢！`,
  ratedVolunteer: (no: string, stars: number, hours: number) => `单号 ${no} 居民评了 ${stars} 分，${hours} 小时已存入您的时间银行。`,
  creditedVolunteer: (no: string, hours: number) => `单号 ${no} 已确认，${hours} 小时已存入您的时间银行。`,
  disputedResident: (no: string) => `抱歉让您不满意（单号 ${no}）。网格员会尽快联系您回访。`,
  disputedStaff: (no: string, stars: number | null, comment: string | null) =>
    `【回访】单号 ${no} 居民不满意${stars ? `（${stars} 分）` : ''}${comment ? `：${comment}` : ''}。服务时长先暂缓入账，请回访后回复「处理 ${no} 记时 说明」或「处理 ${no} 不记时 说明」。`,
  unclaimedStaff: (o: OrderView) => `【待派单】单号 ${o.no}：${o.categoryName}，${o.area}，一小时内没人接。请回复「派单 ${o.no} @志愿者」手动派单。`,
  unclaimedResident: (no: string) => `您的订单 ${no} 暂时还没有志愿者接，社区工作者会帮您安排，请稍等。`,
  escalatedGroup: (o: OrderView, now: Date) =>
    `【再次派单】单号 ${o.no}：${o.categoryName}，${o.area}，${formatWhen(o.wantedAt, now)}，还没人接，哪位方便？回复「接单 ${o.no}」。`,
  cancelledResident: (no: string) => `单号 ${no} 已取消。需要帮忙随时找我。`,
  cancelledVolunteer: (no: string) => `单号 ${no} 已被取消，不用去了，谢谢您！`,
  released: (no: string) => `好的，已放弃单号 ${no}，我们会再找其他志愿者。`,
  releasedResident: (no: string) => `原来的志愿者临时有事（单号 ${no}），我们正在帮您另找一位。`,
  assigned: (no: string, volunteerName: string) => `已把单号 ${no} 派给 ${volunteerName}。`,
  assignTargetUnknown: (name: string) => `没有找到「${name}」，请用「派单 单号 @姓名」。`,
  assignNotVolunteer: (name: string) => `${name} 还不是登记的志愿者，不能派单给他。`,
  assignForbidden: () => '只有社区工作者和队长可以派单。',
  disputeSettledResident: (no: string) => `您反映的单号 ${no} 的情况，网格员已经回访处理完了。谢谢您告诉我们，有需要随时找我。`,
  disputeApprovedVolunteer: (no: string, hours: number) => `单号 ${no} 回访已处理，${hours} 小时计入您的时间银行。谢谢您！`,
  disputeRejectedVolunteer: (no: string) => `单号 ${no} 经网格员回访，这次服务不计时长。有疑问请联系社区。`,
  disputeSettled: (no: string, approved: boolean, hours: number) =>
    approved ? `已处理单号 ${no}：计 ${hours} 小时，已告知居民和志愿者。` : `已处理单号 ${no}：不计时长，已告知居民和志愿者。`,
  notDisputed: (no: string) => `单号 ${no} 不在回访中，不需要处理。`,
  settleForbidden: () => '只有网格员和社区书记可以处理回访。',
  settleHint: (no: string) => `请说明是否计时，比如「处理 ${no} 记时 已回访属实」或「处理 ${no} 不记时 志愿者没来」。`,
  autoConfirmedResident: (no: string) => `单号 ${no} 已自动确认完成。如有问题请联系社区。`,
  noOrders: () => '您现在没有订单。需要帮忙直接说就行。',
};

export const STATUS_NAMES: Record<string, string> = {
  submitted: '已提交',
  offered: '派单中',
  claimed: '已接单',
  in_service: '服务中',
  done: '待确认',
  confirmed: '已确认',
  rated: '已评价',
  cancelled: '已取消',
  unclaimed: '待人工派单',
  disputed: '回访中',
};

/** One line per order for 「进度」. */
export function progressLine(o: OrderView & { status: string }, now: Date): string {
  return `单号 ${o.no}｜${o.categoryName}｜${formatWhen(o.wantedAt, now)}｜${STATUS_NAMES[o.status] ?? o.status}`;
}
