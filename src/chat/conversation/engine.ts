/**
 * Conversations as a chat feature: features register slot types and actions, flows (YAML) name them, and
 * this keeps each person's conversation in Redis between messages. Placed in the router's list where a
 * conversation in progress should take a message before the features after it.
 */
import type { ChatContext, ChatFeature, ConversationPort } from '../router.js';
import type { ChatPerson, ChatRoom } from '../ports.js';
import { message, type Flows } from './flow.js';
import type { SessionStore } from './sessions.js';
import { startSession, step, type Session, type SlotRegistry, type StepContext, type StepResult } from './step.js';

export interface FlowActionContext<P> {
  person: P;
  /** The answers, by step id. */
  values: Record<string, unknown>;
  /** The first message, in the person's own words. */
  firstText: string;
  flags: Record<string, boolean>;
  channel: string;
  now: Date;
}

/** `hold`: keep the conversation at its confirm step with these flags set (the action asked something first). */
export interface FlowActionResult {
  replies: string[];
  hold?: Record<string, boolean>;
}

export type FlowAction<P> = (ctx: FlowActionContext<P>) => Promise<FlowActionResult>;

export interface ConversationDeps<P> {
  flows: Flows;
  slots: SlotRegistry<P>;
  actions: ReadonlyMap<string, FlowAction<P>>;
  sessions: SessionStore;
  idleMinutes: number;
}

/** The router's name for this feature. */
export const CONVERSATION_FEATURE = 'conversation';
/** Said when a person does something else while a conversation waits, if the flow has it. */
const WAITING_MESSAGE = 'waiting';

export function createConversations<P extends ChatPerson, R extends ChatRoom>(deps: ConversationDeps<P>) {
  const stepContext = (person: P, now: Date): StepContext<P> => ({ now, person, slots: deps.slots, idleMinutes: deps.idleMinutes });
  const flowOf = (name: string) => {
    const flow = deps.flows[name];
    if (!flow) throw new Error(`No flow named ${name}`);
    return flow;
  };

  async function settle(flowName: string, result: StepResult, ctx: ChatContext<P, R>): Promise<string[]> {
    const { person } = ctx;
    if (result.action && result.session) {
      const action = deps.actions.get(result.action);
      if (!action) throw new Error(`Flow ${flowName} names action ${result.action}, which no feature registered`);
      const s = result.session;
      const done = await action({ person, values: s.values, firstText: s.firstText, flags: s.flags, channel: ctx.channel, now: ctx.now });
      if (done.hold) await deps.sessions.save(person.id, { ...s, flags: { ...s.flags, ...done.hold } });
      else await deps.sessions.clear(person.id);
      return [...result.replies, ...done.replies];
    }
    if (result.session) await deps.sessions.save(person.id, result.session);
    else await deps.sessions.clear(person.id);
    return result.replies;
  }

  const feature: ChatFeature<P, R, Session> = {
    name: CONVERSATION_FEATURE,
    where: ['private'],
    recognise: (m) => (m.conversation ? ({} as Session) : null),
    async handle(_, ctx) {
      const session = await deps.sessions.get(ctx.person.id);
      if (!session || !deps.flows[session.flow]) return 'pass';
      const result = step(flowOf(session.flow), session, ctx.text, stepContext(ctx.person, ctx.now));
      for (const r of await settle(session.flow, result, ctx)) ctx.reply(r);
    },
  };

  /** What features use: start a flow, render its messages. */
  function port(ctx: ChatContext<P, R>): ConversationPort {
    return {
      async start(flowName, text) {
        return settle(flowName, startSession(flowOf(flowName), text, stepContext(ctx.person, ctx.now)), ctx);
      },
      end: () => deps.sessions.clear(ctx.person.id),
      say: (flowName, key, params) => message(flowOf(flowName), key, params),
    };
  }

  return {
    feature,
    port,
    /** The flow of a person's conversation in progress, or null. */
    async active(personId: string): Promise<string | null> {
      return (await deps.sessions.get(personId))?.flow ?? null;
    },
    /** After another feature answered, remind the person of the conversation still waiting. */
    reminder(flowName: string): string | null {
      return deps.flows[flowName]?.messages[WAITING_MESSAGE] ?? null;
    },
  };
}

export type Conversations<P extends ChatPerson, R extends ChatRoom> = ReturnType<typeof createConversations<P, R>>;
