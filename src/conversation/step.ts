import { parseCommand } from '../domain/commands.js';
import { classifyCategory, extractAddress, extractPhone, extractWhen } from '../domain/intake/index.js';
import type { CategoryCode } from '../domain/types.js';
import { message, render, type Flow, type FlowAction, type FlowStep, type SlotType } from './flow.js';

export interface WhenValue {
  date: string | null;
  time: string | null;
  asap: boolean;
}

export interface AddressValue {
  text: string;
  building: string | null;
}

/** What the resident has told us so far. */
export interface OrderDraft {
  description: string;
  category: CategoryCode | null;
  when: WhenValue | null;
  address: AddressValue | null;
  phone: string | null;
}

/** A conversation in progress; kept in Redis between messages. */
export interface Session {
  flow: string;
  /** The step whose question was asked last. */
  stepId: string;
  draft: OrderDraft;
  /** The saved address was offered and is waiting for 「是」. */
  savedOffered: boolean;
  /** The resident was asked whether this repeats an open order, and may now confirm anyway. */
  duplicateAsked?: boolean;
  updatedAt: string;
}

export interface StepContext {
  now: Date;
  /** What the person saved earlier (address, phone), offered instead of asking again. */
  saved: { address: AddressValue | null; phone: string | null };
  idleMinutes: number;
  categoryName(code: CategoryCode): string;
}

export interface StepResult {
  /** null when the conversation is over (submitted or cancelled). */
  session: Session | null;
  replies: string[];
  action: FlowAction | null;
  draft: OrderDraft;
}

type Filled = Partial<Pick<OrderDraft, 'category' | 'when' | 'address' | 'phone'>>;

/** Read every slot a message can fill on its own, whatever was asked. */
function readSlots(text: string, now: Date, asked: SlotType | null): Filled {
  const filled: Filled = {};
  const when = extractWhen(text, now);
  if (when.date || when.time || when.asap) filled.when = when;
  const address = extractAddress(text);
  if (address) filled.address = { text: address.text, building: address.building };
  const phone = extractPhone(text);
  if (phone) filled.phone = phone;
  // A category is read from the first message or when it is what we asked for: later answers such as
  // an address would otherwise be mistaken for a new request.
  if (asked === 'category' || asked === null) {
    const { category } = classifyCategory(text);
    if (category && category !== 'emergency') filled.category = category;
  }
  return filled;
}

function formatWhen(flow: Flow, when: WhenValue | null): string {
  if (!when || when.asap || (!when.date && !when.time)) return message(flow, when?.asap ? 'asap' : 'time_unset');
  const date = when.date ? `${Number(when.date.slice(5, 7))}月${Number(when.date.slice(8, 10))}日` : '';
  return [date, when.time ?? ''].filter(Boolean).join(' ');
}

function isMissing(draft: OrderDraft, slot: SlotType): boolean {
  if (slot === 'confirm') return true;
  return draft[slot] === null;
}

function ask(flow: Flow, step: FlowStep, draft: OrderDraft, ctx: StepContext): { text: string; savedOffered: boolean } {
  if (step.slot === 'address' && step.askSaved && ctx.saved.address) {
    return { text: render(step.askSaved, { saved_address: ctx.saved.address.text }), savedOffered: true };
  }
  if (step.slot === 'confirm') {
    const text = render(step.ask, {
      category: draft.category ? ctx.categoryName(draft.category) : '',
      when: formatWhen(flow, draft.when),
      address: draft.address?.text ?? '',
      phone: draft.phone ?? '',
    });
    return { text, savedOffered: false };
  }
  return { text: step.ask, savedOffered: false };
}

/** Ask the first step still missing, or null when everything is known. */
function next(flow: Flow, draft: OrderDraft, ctx: StepContext, prefix: string[]): StepResult {
  const step = flow.steps.find((s) => isMissing(draft, s.slot));
  if (!step) return { session: null, replies: prefix, action: null, draft };
  const { text, savedOffered } = ask(flow, step, draft, ctx);
  const session: Session = { flow: flow.name, stepId: step.id, draft, savedOffered, updatedAt: ctx.now.toISOString() };
  return { session, replies: [...prefix, text], action: null, draft };
}

/**
 * Start a conversation from the person's first free text.
 * @example startSession(flows.order, '明天上午九点半水管漏水', ctx).replies // ['请告诉我您的地址…']
 */
export function startSession(flow: Flow, text: string, ctx: StepContext): StepResult {
  const filled = readSlots(text, ctx.now, null);
  const draft: OrderDraft = {
    description: text.trim().slice(0, 500),
    category: filled.category ?? null,
    when: filled.when ?? null,
    address: filled.address ?? null,
    phone: filled.phone ?? ctx.saved.phone,
  };
  return next(flow, draft, ctx, []);
}

/**
 * Advance a conversation by one message. Pure: the caller saves the session and carries out the action.
 * @example step(flows.order, session, '确认', ctx).action // 'submit_order'
 */
export function step(flow: Flow, session: Session, text: string, ctx: StepContext): StepResult {
  const current = flow.steps.find((s) => s.id === session.stepId) ?? flow.steps[0];
  if (!current) return { session: null, replies: [], action: null, draft: session.draft };
  const idleMs = ctx.now.getTime() - new Date(session.updatedAt).getTime();
  const prefix = idleMs > ctx.idleMinutes * 60_000 ? [message(flow, 'resumed')] : [];
  const command = parseCommand(text);
  if (command?.kind === 'cancel') return { session: null, replies: [message(flow, 'cancelled')], action: null, draft: session.draft };

  const filled = readSlots(text, ctx.now, current.slot);
  const draft: OrderDraft = { ...session.draft, ...filled };
  if (current.slot === 'address' && session.savedOffered && !filled.address && command?.kind === 'confirm') {
    draft.address = ctx.saved.address;
  }
  if (current.slot === 'confirm') {
    if (Object.keys(filled).length > 0) return next(flow, draft, ctx, prefix);
    if (command?.kind === 'confirm' && current.onConfirm) {
      return { session: null, replies: prefix, action: current.onConfirm, draft };
    }
    const reply = command?.kind === 'deny' ? message(flow, 'change_hint') : current.retry;
    return { session: { ...session, updatedAt: ctx.now.toISOString() }, replies: [...prefix, reply], action: null, draft };
  }
  if (isMissing(draft, current.slot)) {
    // Still no answer to what we asked: say what we need, keep everything entered so far.
    return { session: { ...session, draft, updatedAt: ctx.now.toISOString() }, replies: [...prefix, current.retry], action: null, draft };
  }
  return next(flow, draft, ctx, prefix);
}
