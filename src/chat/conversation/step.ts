/**
 * The conversation engine, pure: a flow is a list of steps, each asking for one slot; a message fills
 * every slot it can, the first still missing is asked next, and a confirm step reads the answers back.
 * Slot types come from the features that register them; the engine knows none of them.
 */
import { readAnswer } from './answers.js';
import { CONFIRM_SLOT, message, render, type Flow, type FlowStep } from './flow.js';

export interface SlotContext<P> {
  now: Date;
  person: P;
}

/** A kind of answer a flow can ask for (a time, an address, a skill…), registered by a feature. */
export interface SlotType<P = unknown, V = unknown> {
  name: string;
  /** The value a message holds for this slot, or null. */
  read(text: string, ctx: SlotContext<P>): V | null;
  /**
   * false: read only from the first message or when this slot was asked, since later answers (an address)
   * would be mistaken for it. Default true.
   */
  anytime?: boolean;
  /** A value the person saved before: offered with the step's ask_saved, else taken as it is. */
  saved?(ctx: SlotContext<P>): V | null;
  /** How the value reads back in a confirm step; `say` renders a message of the flow. */
  format?(value: V, ctx: SlotContext<P> & { say: (key: string) => string }): string;
}

export type SlotRegistry<P> = ReadonlyMap<string, SlotType<P>>;

/** A conversation in progress; kept in Redis between messages. */
export interface Session {
  flow: string;
  /** The step whose question was asked last. */
  stepId: string;
  /** Answers so far, by step id. */
  values: Record<string, unknown>;
  /** The first message, in the person's own words. */
  firstText: string;
  /** The saved value of the current step was offered and waits for 「是」. */
  savedOffered: boolean;
  /** Set by an action that held the conversation (e.g. a duplicate was asked about). */
  flags: Record<string, boolean>;
  updatedAt: string;
}

export interface StepContext<P> extends SlotContext<P> {
  slots: SlotRegistry<P>;
  /** Minutes of silence after which the person is told the conversation was kept. */
  idleMinutes: number;
}

export interface StepResult {
  /** null when the conversation is over (confirmed or cancelled). */
  session: Session | null;
  replies: string[];
  /** The action to run: the person confirmed. */
  action: string | null;
}

/**
 * Start a conversation from the person's first message.
 * @example startSession(flows.order, '明天上午九点半水管漏水', ctx).replies // ['请告诉我您的地址…']
 */
export function startSession<P>(flow: Flow, text: string, ctx: StepContext<P>): StepResult {
  const values: Record<string, unknown> = {};
  for (const s of flow.steps) {
    const type = ctx.slots.get(s.slot);
    const value = type?.read(text, ctx) ?? (s.askSaved === null ? (type?.saved?.(ctx) ?? null) : null);
    if (value !== null && value !== undefined) values[s.id] = value;
  }
  const session: Session = { flow: flow.name, stepId: '', values, firstText: text.trim().slice(0, 500), savedOffered: false, flags: {}, updatedAt: ctx.now.toISOString() };
  return next(flow, session, ctx, []);
}

/**
 * Advance a conversation by one message. The caller saves the session and runs the action.
 * @example step(flows.order, session, '确认', ctx).action // 'submit_order'
 */
export function step<P>(flow: Flow, session: Session, text: string, ctx: StepContext<P>): StepResult {
  const current = flow.steps.find((s) => s.id === session.stepId) ?? flow.steps[0];
  if (!current) return { session: null, replies: [], action: null };
  const idleMs = ctx.now.getTime() - new Date(session.updatedAt).getTime();
  const prefix = idleMs > ctx.idleMinutes * 60_000 ? [message(flow, 'resumed')] : [];
  const answer = readAnswer(text);
  if (answer === 'cancel') return { session: null, replies: [message(flow, 'cancelled')], action: null };

  const filled = readSlots(flow, text, current, ctx);
  const values = { ...session.values, ...filled };
  if (current.slot !== CONFIRM_SLOT && session.savedOffered && filled[current.id] === undefined && answer === 'yes') {
    const saved = ctx.slots.get(current.slot)?.saved?.(ctx);
    if (saved !== null && saved !== undefined) values[current.id] = saved;
  }
  const touched = { ...session, values, updatedAt: ctx.now.toISOString() };
  if (current.slot === CONFIRM_SLOT) {
    if (Object.keys(filled).length > 0) return next(flow, touched, ctx, prefix);
    if (answer === 'yes' && current.onConfirm) return { session: touched, replies: prefix, action: current.onConfirm };
    return { session: touched, replies: [...prefix, answer === 'no' ? message(flow, 'change_hint') : current.retry], action: null };
  }
  // Still no answer to what we asked: say what we need, keep everything entered so far.
  if (values[current.id] === undefined) return { session: touched, replies: [...prefix, current.retry], action: null };
  return next(flow, touched, ctx, prefix);
}

/** Every slot this message fills, by step id; slots that are not `anytime` only when asked. */
function readSlots<P>(flow: Flow, text: string, asked: FlowStep, ctx: StepContext<P>): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  for (const s of flow.steps) {
    const type = ctx.slots.get(s.slot);
    if (!type || (type.anytime === false && s.id !== asked.id)) continue;
    const value = type.read(text, ctx);
    if (value !== null && value !== undefined) filled[s.id] = value;
  }
  return filled;
}

/** Ask the first step still missing (a confirm step always is). */
function next<P>(flow: Flow, session: Session, ctx: StepContext<P>, prefix: string[]): StepResult {
  const s = flow.steps.find((st) => st.slot === CONFIRM_SLOT || session.values[st.id] === undefined);
  if (!s) return { session: null, replies: prefix, action: null };
  const saved = s.askSaved !== null ? ctx.slots.get(s.slot)?.saved?.(ctx) : null;
  const savedOffered = saved !== null && saved !== undefined;
  const text = s.slot === CONFIRM_SLOT ? readBack(flow, s, session.values, ctx) : savedOffered ? render(s.askSaved!, { saved: formatValue(flow, s, saved, ctx) }) : s.ask;
  return { session: { ...session, stepId: s.id, savedOffered, updatedAt: ctx.now.toISOString() }, replies: [...prefix, text], action: null };
}

function readBack<P>(flow: Flow, confirm: FlowStep, values: Record<string, unknown>, ctx: StepContext<P>): string {
  const params: Record<string, string> = {};
  for (const s of flow.steps) if (s !== confirm) params[s.id] = formatValue(flow, s, values[s.id] ?? null, ctx);
  return render(confirm.ask, params);
}

function formatValue<P>(flow: Flow, s: FlowStep, value: unknown, ctx: StepContext<P>): string {
  const type = ctx.slots.get(s.slot);
  if (type?.format) return type.format(value, { ...ctx, say: (key) => message(flow, key) });
  if (value === null || value === undefined) return '';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}
