import { can, PERMISSIONS, ROLES, type Permission, type Role } from '../../src/directory';

// Who may do what, by role: the whole table, so a change to it is a visible change here.
const EXPECTED: Record<Role, Permission[]> = {
  resident: [],
  volunteer: [],
  team_lead: ['order.assign'],
  building_lead: [],
  worker: ['order.assign', 'order.cancel_any', 'order.settle_dispute'],
  secretary: ['order.assign', 'order.cancel_any', 'order.settle_dispute'],
};

test.each(ROLES.flatMap((role) => PERMISSIONS.map((p) => [role, p] as const)))('%s may %s?', (role, permission) => {
  expect(can(role, permission)).toBe(EXPECTED[role].includes(permission));
});
