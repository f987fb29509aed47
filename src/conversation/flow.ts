import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const SLOT_TYPES = ['category', 'when', 'address', 'phone', 'confirm'] as const;
export type SlotType = (typeof SLOT_TYPES)[number];
export const ACTIONS = ['submit_order'] as const;
export type FlowAction = (typeof ACTIONS)[number];

export interface FlowStep {
  id: string;
  slot: SlotType;
  ask: string;
  retry: string;
  askSaved: string | null;
  onConfirm: FlowAction | null;
}

export interface Flow {
  name: string;
  file: string;
  steps: FlowStep[];
  messages: Record<string, string>;
}

export type Flows = Record<string, Flow>;

/** A flow file that cannot be used; the message names the file, the step and what was expected. */
export class FlowError extends Error {
  readonly code = 'flow_invalid';
  constructor(
    readonly file: string,
    readonly where: string,
    readonly expected: string,
  ) {
    super(`${file}: ${where}: expected ${expected}`);
  }
}

const STEP_KEYS = new Set(['id', 'slot', 'ask', 'retry', 'ask_saved', 'on_confirm']);
const TOP_KEYS = new Set(['name', 'steps', 'messages']);

function requireText(file: string, where: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new FlowError(file, where, 'a non-empty string');
  return value;
}

/** Check and compile one parsed flow document. */
export function compileFlow(file: string, doc: unknown): Flow {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new FlowError(file, 'top level', 'a mapping with name, steps and messages');
  const raw = doc as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!TOP_KEYS.has(key)) throw new FlowError(file, `key "${key}"`, `one of ${[...TOP_KEYS].join(', ')}`);
  const name = requireText(file, 'name', raw.name);
  if (!Array.isArray(raw.steps)) throw new FlowError(file, 'steps', 'a list (may be empty)');
  const seen = new Set<string>();
  const steps = raw.steps.map((s: unknown, i: number): FlowStep => {
    const label = `step ${i + 1}`;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new FlowError(file, label, 'a mapping with id, slot, ask and retry');
    const st = s as Record<string, unknown>;
    const id = requireText(file, `${label} id`, st.id);
    const where = `step "${id}"`;
    for (const key of Object.keys(st)) if (!STEP_KEYS.has(key)) throw new FlowError(file, `${where} key "${key}"`, `one of ${[...STEP_KEYS].join(', ')}`);
    if (seen.has(id)) throw new FlowError(file, where, 'a unique step id');
    seen.add(id);
    if (!(SLOT_TYPES as readonly unknown[]).includes(st.slot)) throw new FlowError(file, `${where} slot`, `one of ${SLOT_TYPES.join(', ')}`);
    const onConfirm = st.on_confirm ?? null;
    if (onConfirm !== null && !(ACTIONS as readonly unknown[]).includes(onConfirm)) throw new FlowError(file, `${where} on_confirm`, `one of ${ACTIONS.join(', ')}`);
    if (st.slot === 'confirm' && onConfirm === null) throw new FlowError(file, `${where} on_confirm`, `an action (${ACTIONS.join(', ')}) for a confirm step`);
    return {
      id,
      slot: st.slot as SlotType,
      ask: requireText(file, `${where} ask`, st.ask),
      retry: requireText(file, `${where} retry`, st.retry),
      askSaved: st.ask_saved === undefined ? null : requireText(file, `${where} ask_saved`, st.ask_saved),
      onConfirm: onConfirm as FlowAction | null,
    };
  });
  const confirmAt = steps.findIndex((s) => s.slot === 'confirm');
  if (confirmAt !== -1 && confirmAt !== steps.length - 1) throw new FlowError(file, `step "${steps[confirmAt]?.id}"`, 'the confirm step to be the last one');
  const messages: Record<string, string> = {};
  if (raw.messages !== undefined) {
    if (raw.messages === null || typeof raw.messages !== 'object' || Array.isArray(raw.messages)) throw new FlowError(file, 'messages', 'a mapping of message keys to text');
    for (const [key, value] of Object.entries(raw.messages)) messages[key] = requireText(file, `message "${key}"`, value);
  }
  return { name, file, steps, messages };
}

/** Parse YAML text safely (no custom tags, bounded aliases) and compile it. */
export function parseFlow(file: string, text: string): Flow {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { customTags: [], maxAliasCount: 50, uniqueKeys: true });
  } catch (err) {
    throw new FlowError(file, 'YAML', `valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  return compileFlow(file, doc);
}

/**
 * Load every flows/*.yaml once at boot; any broken file stops start-up.
 * @example const flows = loadFlows('flows'); flows.order.steps[0].id // 'category'
 */
export function loadFlows(dir: string, required: string[] = ['order', 'help']): Flows {
  const flows: Flows = {};
  for (const entry of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = path.join(dir, entry);
    const flow = parseFlow(file, fs.readFileSync(file, 'utf8'));
    if (flows[flow.name]) throw new FlowError(file, 'name', `a flow name not used by ${flows[flow.name]?.file}`);
    flows[flow.name] = flow;
  }
  for (const name of required) if (!flows[name]) throw new FlowError(dir, `flow "${name}"`, 'a file defining it');
  return flows;
}

/** Fill {placeholders}; unknown ones are left empty rather than printing "undefined". */
export function render(template: string, params: Record<string, string | number | null | undefined> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    return value === null || value === undefined ? '' : String(value);
  });
}

/** A flow's message by key, rendered. Throws when the key is missing (caught by flow tests at boot). */
export function message(flow: Flow, key: string, params?: Record<string, string | number | null | undefined>): string {
  const template = flow.messages[key];
  if (template === undefined) throw new FlowError(flow.file, `message "${key}"`, 'the message to exist');
  return render(template, params);
}
