/** Chat: what features use to listen and speak. It knows no feature; features register with it. */
import path from 'node:path';
import type { MigrationSource } from '../platform/migrate.js';

export type { Channel, InboundMessage, OutboundMessage } from './channel.js';
export type { ChatContext, ChatFeature, ChatMessage, ConversationPort, AnyChatFeature } from './router.js';
export type { ChatDirectory, ChatPerson, ChatRoom, Identity } from './ports.js';
export type { Notifier, Outbox } from './outbox.js';
export type { SlotType, SlotContext } from './conversation/step.js';
export type { FlowAction, FlowActionContext, FlowActionResult } from './conversation/engine.js';
export { readAnswer, wholeMessage, withoutFiller, type Answer } from './conversation/answers.js';
export { message, type Flow } from './conversation/flow.js';

export const chatMigrations: MigrationSource = { feature: 'chat', dir: path.join(__dirname, 'migrations') };
