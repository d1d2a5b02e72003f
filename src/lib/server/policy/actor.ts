import type { GroupId, UserId } from '../kernel/ids';
import type { Role, TokenScope } from '../db/schema';

/** Who is acting. Built once per request (or frame, or email) from the session or token. */
export type Actor =
  | { kind: 'visitor' }
  | {
      kind: 'user';
      userId: UserId;
      /** Administrator of the whole association (instance). */
      isAdmin: boolean;
      /** Group memberships, loaded with the actor so rules stay pure. */
      roles: ReadonlyMap<string, Role>;
      /** Set when acting through a personal access token (not a session): what the token allows. */
      token?: { scope: TokenScope };
    };
export type UserActor = Extract<Actor, { kind: 'user' }>;

export const visitor: Actor = { kind: 'visitor' };
export const isUser = (a: Actor): a is UserActor => a.kind === 'user';
export const roleIn = (a: Actor, groupId: string): Role | undefined => (isUser(a) ? a.roles.get(groupId) : undefined);
export const isMember = (a: Actor, groupId: string) => roleIn(a, groupId) !== undefined;
export const isGroupAdmin = (a: Actor, groupId: string) => roleIn(a, groupId) === 'admin';
/** An instance administrator, acting through a session or an `admin` token (a read or write token never administers). */
export const isInstanceAdmin = (a: Actor) => isUser(a) && a.isAdmin && (!a.token || a.token.scope === 'admin');
/** Acting through a session: tokens cannot mint new credentials (tokens or sessions). */
export const viaSession = (a: Actor) => isUser(a) && !a.token;
export const userIdOf = (a: Actor): UserId | null => (isUser(a) ? a.userId : null);
export type { GroupId };
