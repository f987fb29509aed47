import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** The engine's own slot type: read the answers back and wait for 「确认」. */
export const CONFIRM_SLOT = 'confirm';

/** What flows may name: slot types and actions that features registered with the engine. */
export interface FlowVocabulary {
  slots: readonly string[];
  actions: readonly string[];
}

export interface FlowStep {
  id: string;
  /** A registered slot type, or `confirm`. */
  slot: string;
  ask: string;
  retry: string;
  askSaved: string | null;
  /** A registered action, run when the person confirms (confirm steps only). */
  onConfirm: string | null;
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

/** What the engine itself says in any flow with steps. */
const ENGINE_MESSAGES = ['cancelled', 'resumed', 'change_hint'] as const;
const STEP_KEYS = new Set(['id', 'slot', 'ask', 'retry', 'ask_saved', 'on_confirm']);
const TOP_KEYS = new Set(['name', 'steps', 'messages']);

function requireText(file: string, where: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new FlowError(file, where, 'a non-empty string');
  return value;
}

/** Check and compile one parsed flow document against the registered slot types and actions. */
export function compileFlow(file: string, doc: unknown, known: FlowVocabulary): Flow {
  const slotTypes = [...known.slots, CONFIRM_SLOT];
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
    if (typeof st.slot !== 'string' || !slotTypes.includes(st.slot)) throw new FlowError(file, `${where} slot`, `one of ${slotTypes.join(', ')}`);
    const onConfirm = st.on_confirm ?? null;
    if (onConfirm !== null && (typeof onConfirm !== 'string' || !known.actions.includes(onConfirm))) {
      throw new FlowError(file, `${where} on_confirm`, `one of ${known.actions.join(', ')}`);
    }
    if (st.slot === CONFIRM_SLOT && onConfirm === null) throw new FlowError(file, `${where} on_confirm`, `an action (${known.actions.join(', ')}) for a confirm step`);
    return {
      id,
      slot: st.slot,
      ask: requireText(file, `${where} ask`, st.ask),
      retry: requireText(file, `${where} retry`, st.retry),
      askSaved: st.ask_saved === undefined ? null : requireText(file, `${where} ask_saved`, st.ask_saved),
      onConfirm: onConfirm,
    };
  });
  const confirmAt = steps.findIndex((s) => s.slot === CONFIRM_SLOT);
  if (confirmAt !== -1 && confirmAt !== steps.length - 1) throw new FlowError(file, `step "${steps[confirmAt]?.id}"`, 'the confirm step to be the last one');
  const messages: Record<string, string> = {};
  if (raw.messages !== undefined) {
    if (raw.messages === null || typeof raw.messages !== 'object' || Array.isArray(raw.messages)) throw new FlowError(file, 'messages', 'a mapping of message keys to text');
    for (const [key, value] of Object.entries(raw.messages)) messages[key] = requireText(file, `message "${key}"`, value);
  }
  if (steps.length > 0) {
    for (const key of ENGINE_MESSAGES) if (messages[key] === undefined) throw new FlowError(file, `message "${key}"`, 'the message (a flow with steps needs it)');
  }
  return { name, file, steps, messages };
}

/** Parse YAML text safely (no custom tags, bounded aliases) and compile it. */
export function parseFlow(file: string, text: string, known: FlowVocabulary): Flow {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { customTags: [], maxAliasCount: 50, uniqueKeys: true });
  } catch (err) {
    throw new FlowError(file, 'YAML', `valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  return compileFlow(file, doc, known);
}

/**
 * Load every *.yaml of the features' flow folders once at boot; any broken file stops start-up.
 * @example const flows = loadFlows(['src/orders/flows'], vocabulary, ['order']); flows.order.steps[0].id // 'category'
 */
export function loadFlows(dirs: readonly string[], known: FlowVocabulary, required: readonly string[] = []): Flows {
  const flows: Flows = {};
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const file = path.join(dir, entry);
      const flow = parseFlow(file, fs.readFileSync(file, 'utf8'), known);
      if (flows[flow.name]) throw new FlowError(file, 'name', `a flow name not used by ${flows[flow.name]?.file}`);
      flows[flow.name] = flow;
    }
  }
  for (const name of required) if (!flows[name]) throw new FlowError(dirs.join(', '), `flow "${name}"`, 'a file defining it');
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
