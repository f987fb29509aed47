/**
 * The directory: people, roles and permissions, places (city → district → street → community → grid),
 * identities, stations and the service catalogue. Other features meet it here.
 */
import path from 'node:path';
import type { ChatDirectory } from '../chat/index.js';
import type { Db } from '../platform/db.js';
import type { MigrationSource } from '../platform/migrate.js';
import { defaultCommunityId, getPerson, getRoom, identitiesOf, isRoomMember, listPeople, listRooms, registerResident, resolveIdentity } from './store.js';
import type { Person, Room } from './types.js';

export * from './types.js';
export { can, permissionsOf, PERMISSIONS, type Permission } from './permissions.js';
export { categoryByCode, loadCatalogue, SKILLS, SKILL_NAMES, isSkill, skillSchema, type CatalogueEntry, type Skill } from './catalogue.js';
export { seedDirectory, loadDirectory, DEFAULT_DIRECTORY_FILE } from './seed.js';
export {
  bindIdentity,
  defaultCommunityId,
  findPersonByName,
  getCommunity,
  getPerson,
  getRoom,
  locateBuilding,
  saveProfile,
  staffFor,
  teamRooms,
} from './store.js';

export const directoryMigrations: MigrationSource = { feature: 'directory', dir: path.join(__dirname, 'migrations') };

/**
 * The directory as chat sees it. A newcomer writing privately becomes a resident of the first community,
 * bound to that identity, so an elderly person never has to register before asking for help.
 */
export function createChatDirectory(db: Db): ChatDirectory<Person, Room> {
  return {
    resolve: (channel, externalId, kind) => resolveIdentity(db, channel, externalId, kind),
    async admit(channel, externalId, name) {
      const community = await defaultCommunityId(db);
      return community ? registerResident(db, channel, externalId, name || '居民', community) : null;
    },
    person: (id) => getPerson(db, id),
    room: (id) => getRoom(db, id),
    identitiesOf: (kind, refIds, q) => identitiesOf(q ?? db, kind, refIds),
    people: () => listPeople(db),
    rooms: () => listRooms(db),
    isMember: (roomId, personId) => isRoomMember(db, roomId, personId),
  };
}
