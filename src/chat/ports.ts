import type { Queryable } from '../platform/db.js';

/**
 * What chat needs from the people and rooms it serves, without knowing the directory: main.ts plugs the
 * directory in. Features see their own richer person and room types through the router's type parameters.
 */

export interface ChatPerson {
  id: string;
  name: string;
  role: string;
}

export interface ChatRoom {
  id: string;
  name: string;
  /** team, workers, grid, …: features listen by kind. */
  kind: string;
}

/** A person or room as one chat platform knows them. */
export interface Identity {
  channel: string;
  externalId: string;
  refId: string;
}

export interface ChatDirectory<P extends ChatPerson = ChatPerson, R extends ChatRoom = ChatRoom> {
  /** The directory id a platform identity is bound to. */
  resolve(channel: string, externalId: string, kind: 'person' | 'room'): Promise<string | null>;
  /** Someone unknown writing privately: bind them to a newly admitted person, or null to ignore them. */
  admit(channel: string, externalId: string, name: string): Promise<string | null>;
  person(id: string): Promise<P | null>;
  room(id: string): Promise<R | null>;
  /** Every platform identity of these people or rooms, to deliver on each channel that knows them. */
  identitiesOf(kind: 'person' | 'room', refIds: string[], db?: Queryable): Promise<Identity[]>;
  people(): Promise<ChatPerson[]>;
  rooms(): Promise<(ChatRoom & { members: string[] })[]>;
  isMember(roomId: string, personId: string): Promise<boolean>;
}
