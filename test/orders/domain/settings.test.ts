import { readOrderSettings, type OrderSettings } from '../../../src/orders/domain/settings';

const DEFAULTS: OrderSettings = { escalationMinutes: [10, 30, 60], quietHours: { start: '22:00', end: '07:00' } };

test.each<[string, unknown, OrderSettings]>([
  ['nothing set', undefined, DEFAULTS],
  ['a community of its own', { escalationMinutes: [5, 15, 40], quietHours: { start: '22:30', end: '06:30' } }, { escalationMinutes: [5, 15, 40], quietHours: { start: '22:30', end: '06:30' } }],
  ['only the minutes', { escalationMinutes: [5, 15, 40] }, { ...DEFAULTS, escalationMinutes: [5, 15, 40] }],
  ['minutes that do not increase', { escalationMinutes: [30, 10, 60] }, DEFAULTS],
  ['two minutes only', { escalationMinutes: [5, 15] }, DEFAULTS],
  ['a negative minute', { escalationMinutes: [-5, 15, 40] }, DEFAULTS],
  ['minutes as text', { escalationMinutes: ['5', '15', '40'] }, DEFAULTS],
  ['quiet hours out of range', { quietHours: { start: '25:00', end: '07:00' } }, DEFAULTS],
  ['not an object', 'fast please', DEFAULTS],
  ['through the prototype', Object.create({ escalationMinutes: [1, 2, 3] }) as unknown, DEFAULTS],
])('%s', (_name, raw, expected) => {
  expect(readOrderSettings(raw, DEFAULTS)).toEqual(expected);
});
