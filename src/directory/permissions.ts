/**
 * What each role may do, in one pure table. Roles come from the directory, never from what someone types;
 * features ask `can(role, action)` and explain a refusal in their own words.
 */
import type { Role } from './types.js';

export const PERMISSIONS = [
  /** 派单 <单号> @志愿者: hand an order to a volunteer. */
  'order.assign',
  /** Cancel someone else's order (the resident may always cancel their own). */
  'order.cancel_any',
  /** Settle a disputed order: 处理 <单号> 记时 / 不记时. */
  'order.settle_dispute',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const TABLE: Readonly<Record<Role, readonly Permission[]>> = {
  resident: [],
  volunteer: [],
  team_lead: ['order.assign'],
  building_lead: [],
  worker: ['order.assign', 'order.cancel_any', 'order.settle_dispute'],
  secretary: ['order.assign', 'order.cancel_any', 'order.settle_dispute'],
};

/**
 * Whether a role may do something.
 * @example can('team_lead', 'order.assign') // true
 */
export function can(role: Role, permission: Permission): boolean {
  return TABLE[role].includes(permission);
}

/** Every permission of a role, for contexts the domain judges. */
export function permissionsOf(role: Role): readonly Permission[] {
  return TABLE[role];
}
