/**
 * The chat router knows no feature: features register ChatFeatures (name, where they listen, who may use
 * them, how they recognise their commands, how they handle them) and the router tries them in the order
 * main.ts lists them, the way grammY composers are tried. The first that recognises a message handles it;
 * a handler may still pass it on (the command turned out not to apply), and the next feature is tried.
 */
import type { Logger } from 'pino';
import type { ChatPerson, ChatRoom } from './ports.js';

/** What a person sent, as features see it: roles and rooms come from the directory, never from the text. */
export interface ChatMessage<P extends ChatPerson = ChatPerson, R extends ChatRoom = ChatRoom> {
  person: P;
  room: R | null;
  text: string;
  channel: string;
  mentionsBot: boolean;
  /** Directory ids of the people @-mentioned. */
  mentioned: string[];
  /** The flow of the person's conversation in progress, if any. */
  conversation: string | null;
}

/** Starting and reading flows, for features: the engine is wired in by the router's owner. */
export interface ConversationPort {
  /** Start a flow from this message; returns the replies (the flow's first question, or the action's answer). */
  start(flow: string, text: string): Promise<string[]>;
  /** Leave the person's conversation in progress, if any (an emergency does not wait for a form). */
  end(): Promise<void>;
  /** A flow's message, rendered. */
  say(flow: string, key: string, params?: Record<string, string | number | null | undefined>): string;
}

export interface ChatContext<P extends ChatPerson = ChatPerson, R extends ChatRoom = ChatRoom> extends ChatMessage<P, R> {
  now: Date;
  log: Logger;
  /** Answer the sender: privately, or in the room mentioning them. Sent together with the handled mark. */
  reply: (text: string) => void;
  flows: ConversationPort;
}

/** Where a feature listens: 'private' and/or room kinds ('team', 'workers', …). */
export type Place = string;

export interface ChatFeature<P extends ChatPerson = ChatPerson, R extends ChatRoom = ChatRoom, C = unknown> {
  name: string;
  where: readonly Place[];
  /** Roles that may use it; anyone else's message goes on to the next feature. Omitted: everyone. */
  roles?: readonly string[];
  /** This feature's command in the message, or null. Pure and quick: it runs for every message. */
  recognise(message: ChatMessage<P, R>): C | null;
  /** Carry the command out; 'pass' hands the message on to the next feature. */
  handle(command: C, ctx: ChatContext<P, R>): Promise<void | 'pass'>;
}

/** Type-erased, so features with different command types can share one list. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the list holds features of every command type
export type AnyChatFeature<P extends ChatPerson = ChatPerson, R extends ChatRoom = ChatRoom> = ChatFeature<P, R, any>;

/**
 * Build a router over features in priority order.
 * @example const route = createChatRouter([ordersChat, checkinsChat, helpChat]); await route(ctx) // 'orders.claim'
 * @returns the name of the feature that handled the message, or null when none did (ordinary group talk)
 */
export function createChatRouter<P extends ChatPerson, R extends ChatRoom>(features: readonly AnyChatFeature<P, R>[]) {
  return async function route(ctx: ChatContext<P, R>): Promise<string | null> {
    const place = ctx.room ? ctx.room.kind : 'private';
    for (const feature of features) {
      if (!feature.where.includes(place)) continue;
      if (feature.roles && !feature.roles.includes(ctx.person.role)) continue;
      const command: unknown = feature.recognise(ctx);
      if (command === null) continue;
      if ((await feature.handle(command, ctx)) !== 'pass') return feature.name;
    }
    return null;
  };
}
