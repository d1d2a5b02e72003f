import { sql } from 'kysely';
import type { Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { invalidField, unauthenticated } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import { FindPeopleInput, OpenDirectInput, StartDirectInput } from './schemas';

/** A member as the people picker shows them. */
export type PersonView = { id: string; name: string; handle: string; avatarFileId: string | null };
/** A name that matches several members: the member picks among them. */
export type DirectChoice = { term: string; matches: PersonView[] };
export type Opened = { roomId: string; created: boolean };

/** "Inès El-Amrani" → "ines el-amrani": what handles are made of, to match names typed without accents. */
export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
/** Escapes `%`, `_` and `\` for a LIKE pattern with ESCAPE '\'. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Best matches first: the handle itself, then names and handles that start with the words typed. */
function rank(p: PersonView, q: string): number {
  const f = fold(q);
  const name = fold(p.name);
  if (p.handle === f.replace(/^@/, '')) return 0;
  if (name === f) return 1;
  if (name.startsWith(f)) return 2;
  if (name.split(/[\s-]+/).some((w) => w.startsWith(f))) return 3;
  if (p.handle.startsWith(f.replace(/[^a-z0-9]+/g, '_'))) return 4;
  return 5;
}

/**
 * Direct conversations: finding people by name (the picker, and names typed in a form
 * without JavaScript) and opening the one conversation of a set of people.
 */
export function createDirect(deps: Deps) {
  const { db, clock } = deps;

  /**
   * Active members whose name or handle contains `q` (accents and case ignored), best first;
   * not the actor. Only people whose membership the actor may see (`group.members`: they
   * share a group, or belong to an open one): a secret group's members stay unknown.
   */
  async function findPeople(actor: Actor, raw: unknown): Promise<PersonView[]> {
    const input = parse(FindPeopleInput, raw);
    if (!isUser(actor)) return unauthenticated();
    authorize(actor, 'dm.start');
    const q = input.q.trim().replace(/^@/, '');
    if (!q) return [];
    const name = `%${likeEscape(q.toLowerCase())}%`;
    // Handles are names without accents, words joined by "_": "ines" finds Inès through hers.
    const words = fold(q).replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    const handle = `%${likeEscape(words)}%`;
    const rows = await db
      .selectFrom('users')
      .select(['id', 'name', 'handle', 'avatarFileId'])
      .where('disabledAt', 'is', null)
      .where('id', '!=', actor.userId)
      .where(
        actor.isAdmin
          ? sql<boolean>`1 = 1`
          : sql<boolean>`EXISTS (SELECT 1 FROM memberships pm JOIN groups pg ON pg.id = pm.group_id
              WHERE pm.user_id = users.id AND (pg.visibility = 'open' OR pm.group_id IN (SELECT group_id FROM memberships WHERE user_id = ${actor.userId})))`,
      )
      .where((eb) =>
        eb.or([
          sql<boolean>`LOWER(${eb.ref('users.name')}) LIKE ${name} ESCAPE '\\'`,
          ...(words ? [sql<boolean>`${eb.ref('users.handle')} LIKE ${handle} ESCAPE '\\'`] : []),
        ]),
      )
      .orderBy('name')
      .limit(50)
      .execute();
    return rows
      .map((r, i) => ({ r, i, score: rank(r, q) }))
      .sort((a, b) => a.score - b.score || a.i - b.i)
      .slice(0, input.limit)
      .map((x) => x.r);
  }

  async function peopleByIds(ids: string[]): Promise<PersonView[]> {
    if (!ids.length) return [];
    return db.selectFrom('users').select(['id', 'name', 'handle', 'avatarFileId']).where('id', 'in', ids).where('disabledAt', 'is', null).orderBy('name').execute();
  }

  /**
   * Opens the direct conversation between the actor and the members named by id or handle:
   * the same people always find the same conversation.
   */
  async function openDirect(actor: Actor, raw: unknown): Promise<Opened> {
    const input = parse(OpenDirectInput, raw);
    if (!isUser(actor)) return unauthenticated();
    authorize(actor, 'dm.start');
    if (input.handles.length + input.people.length === 0) invalidField('handles', 'required');
    const byHandle = input.handles.length ? await db.selectFrom('users').select(['id', 'handle']).where('handle', 'in', input.handles).where('disabledAt', 'is', null).execute() : [];
    const missing = input.handles.filter((h) => !byHandle.some((u) => u.handle === h));
    if (missing.length) invalidField('handles', 'unknown_handle', { handle: missing[0] });
    const byId = await peopleByIds(input.people);
    if (byId.length < new Set(input.people).size) invalidField('people', 'unknown_person');
    const ids = [...new Set([actor.userId as string, ...byHandle.map((u) => u.id), ...byId.map((u) => u.id)])].sort();
    if (ids.length < 2) invalidField('handles', 'required');
    if (ids.length > 21) invalidField('people', 'too_many_people');
    const key = ids.join(',');
    const existing = await db.selectFrom('chatRooms').select('id').where('directKey', '=', key).executeTakeFirst();
    if (existing) return { roomId: existing.id, created: false };
    const now = clock.now().toISOString();
    const id = newId();
    try {
      // Sent twice with the same form key: the first answer, nothing written.
      return await once(deps, { userId: actor.userId, key: input.key, scope: 'dm.start' }, async (tx) => {
        await tx.insertInto('chatRooms').values({ id, kind: 'direct', groupId: null, directKey: key, title: input.title, lastSeq: 0, messageCount: 0, createdBy: actor.userId, createdAt: now, lastActivityAt: now }).execute();
        await tx.insertInto('chatParticipants').values(ids.map((userId) => ({ roomId: id, userId, joinedAt: now, readSeq: 0, readCount: 0 }))).execute();
        await recordEvent(tx, { type: 'chat.direct_opened', actorId: actor.userId, data: { roomId: id } }, clock.now());
        return { roomId: id, created: true };
      });
    } catch (e) {
      const again = await db.selectFrom('chatRooms').select('id').where('directKey', '=', key).executeTakeFirst();
      if (again) return { roomId: again.id, created: false };
      throw e;
    }
  }

  /**
   * The "new conversation" form: people picked in the list (ids) and names typed freely
   * ("Fatima, @pieter"). A name that fits one member is theirs; a name that fits several
   * comes back as a choice (`choose`), with the people already settled (`chosen`); a name
   * that fits nobody is a field error that quotes it.
   */
  async function startDirect(actor: Actor, raw: unknown): Promise<Opened | { choose: DirectChoice[]; chosen: PersonView[] }> {
    const input = parse(StartDirectInput, raw);
    if (!isUser(actor)) return unauthenticated();
    authorize(actor, 'dm.start');
    const ids = new Set(input.people);
    const choose: DirectChoice[] = [];
    for (const term of input.who) {
      const matches = await findPeople(actor, { q: term, limit: 8 });
      const exact = matches.filter((m) => m.handle === fold(term).replace(/^@/, '') || fold(m.name) === fold(term));
      if (exact.length === 1) ids.add(exact[0].id);
      else if (matches.length === 1) ids.add(matches[0].id);
      else if (matches.length === 0) invalidField('who', 'nobody_named', { name: term });
      else choose.push({ term, matches });
    }
    if (choose.length) return { choose, chosen: await peopleByIds([...ids]) };
    if (ids.size === 0) invalidField('who', 'required');
    return openDirect(actor, { people: [...ids], title: input.title, key: input.key });
  }

  return { findPeople, openDirect, startDirect };
}
