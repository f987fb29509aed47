import fs from 'node:fs';
import path from 'node:path';
import { FlowError, loadFlows, parseFlow } from '../../../src/chat/conversation/flow';

const FIXTURES = path.join(__dirname, 'fixtures');
/** What the order feature registers: the fixtures are checked against it. */
const KNOWN = { slots: ['category', 'when', 'address', 'phone'], actions: ['submit_order'] };
const load = (name: string) => parseFlow(name, fs.readFileSync(path.join(FIXTURES, name), 'utf8'), KNOWN);
const SRC = path.join(__dirname, '..', '..', '..', 'src');

test('the shipped flows load and declare what the service needs', () => {
  const flows = loadFlows([path.join(SRC, 'orders', 'flows'), path.join(SRC, 'help', 'flows')], KNOWN);
  expect(flows.order!.steps.map((s) => s.slot)).toEqual(['category', 'when', 'address', 'phone', 'confirm']);
  for (const key of ['cancelled', 'resumed', 'change_hint', 'asap', 'time_unset', 'waiting']) expect(flows.order!.messages[key]).toBeTruthy();
  for (const key of ['resident', 'volunteer', 'team_lead', 'worker', 'secretary', 'building_lead', 'unknown', 'group_unknown', 'register']) {
    expect(flows.help!.messages[key]).toMatch(/[\u4e00-\u9fa5]/);
  }
});

test.each([
  ['empty.yaml', /top level: expected a mapping/],
  ['malformed.yaml', /YAML: expected valid YAML/],
  ['hostile-aliases.yaml', /YAML: expected valid YAML|top level/],
  ['hostile-tag.yaml', /YAML|steps: expected a list/],
  ['unknown-slot.yaml', /step "when" slot: expected one of category, when, address, phone, confirm/],
  ['confirm-not-last.yaml', /step "confirm": expected the confirm step to be the last one/],
  ['unknown-action.yaml', /step "confirm" on_confirm: expected one of submit_order/],
  ['unknown-key.yaml', /step "when" key "next": expected one of/],
])('%s is refused with the file, the step and what was expected', (file, expected) => {
  let error: unknown;
  try {
    load(file);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(FlowError);
  expect((error as Error).message).toContain(file);
  expect((error as Error).message).toMatch(expected);
});

test('a folder without the order flow stops start-up', () => {
  expect(() => loadFlows([path.join(SRC, 'help', 'flows')], KNOWN, ['order', 'help'])).toThrow(FlowError);
});

test('slot types and actions are whatever the features registered', () => {
  const text = 'name: signup\nsteps:\n  - { id: skills, slot: skills, ask: 擅长什么？, retry: 再说一次 }\n  - { id: ok, slot: confirm, ask: 确认吗？, retry: 回复确认, on_confirm: register }\nmessages: { cancelled: 好, resumed: 接着来, change_hint: 请改 }\n';
  expect(parseFlow('signup.yaml', text, { slots: ['skills'], actions: ['register'] }).steps.map((s) => s.slot)).toEqual(['skills', 'confirm']);
  expect(() => parseFlow('signup.yaml', text, KNOWN)).toThrow(/step "skills" slot: expected one of category, when, address, phone, confirm/);
});
