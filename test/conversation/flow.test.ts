import fs from 'node:fs';
import path from 'node:path';
import { FlowError, loadFlows, parseFlow } from '../../src/conversation/flow';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'flows');
const load = (name: string) => parseFlow(name, fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

test('the shipped flows load and declare what the service needs', () => {
  const flows = loadFlows(path.join(__dirname, '..', '..', 'flows'));
  expect(flows.order!.steps.map((s) => s.slot)).toEqual(['category', 'when', 'address', 'phone', 'confirm']);
  for (const key of ['cancelled', 'resumed', 'change_hint', 'asap', 'time_unset']) expect(flows.order!.messages[key]).toBeTruthy();
  for (const key of ['resident', 'volunteer', 'team_lead', 'worker', 'secretary', 'building_lead', 'unknown', 'group_unknown', 'error']) {
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

test('a directory without the order flow stops start-up', () => {
  expect(() => loadFlows(FIXTURES, ['order', 'help'])).toThrow(FlowError);
});
