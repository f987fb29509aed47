/**
 * The one small interface every chat platform adapter implements. Adapters only translate between the
 * platform's shapes and these; identities are the platform's own ids, resolved to people by the directory.
 */

/** A message a person sent, as the platform saw it. */
export interface InboundMessage {
  channel: string;
  /** The platform's id for this message, used to drop redeliveries. */
  platformMessageId: string;
  /** The sender's platform id (WeChat contact id, simulator person id, …). */
  from: string;
  /** Display name the platform shows for the sender, if any (for logs and unknown senders). */
  fromName?: string;
  /** The platform id of the group chat, absent in a private chat. */
  room?: string;
  text: string;
  /** Platform ids of the people mentioned. */
  mentions: string[];
  /** True when the bot itself was mentioned. */
  mentionsBot: boolean;
  receivedAt: Date;
}

/** Where a reply goes: a person privately, or a room (optionally mentioning people in it). */
export type Recipient = { kind: 'person'; id: string } | { kind: 'room'; id: string };

export interface OutboundMessage {
  to: Recipient;
  text: string;
  /** Platform ids of people to @-mention (rooms only). */
  mentions: string[];
}

/** Takes a message; resolves to its stored id (the first copy's, for a redelivery). */
export type InboundHandler = (message: InboundMessage) => Promise<string>;

export interface Channel {
  readonly name: string;
  start(onMessage: InboundHandler): Promise<void>;
  /** Deliver one message; recipient ids are this platform's ids. */
  send(message: OutboundMessage): Promise<void>;
  stop(): Promise<void>;
}
