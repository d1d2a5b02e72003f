import type { Deps } from '../../kernel/deps';
import { inTx } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import type { Tx } from '../../db/connect';
import { invalidField, notFound } from '../../kernel/errors';
import { newId, type GroupId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, isUser, userIdOf, type Actor } from '../../policy';
import { createFilesService } from '../files/files.service';
import { findGroupById, groupFacts, groupSeenBySlug, type GroupRef } from './group';
import { CreateGroupInput, LinkIdInput, LinkInput, MoveLinkInput, UpdateGroupInput } from './schemas';
import { RESERVED_SLUGS, uniqueSlug } from './slug';

async function assertSlugFree(tx: Tx, slug: string, exceptId?: string) {
  if (RESERVED_SLUGS.has(slug)) invalidField('slug', 'slug_taken');
  const other = await tx.selectFrom('groups').select('id').where('slug', '=', slug).executeTakeFirst();
  if (other && other.id !== exceptId) invalidField('slug', 'slug_taken');
}

/** Write side of groups: create, edit, cover image, external links. */
export function groupsCommands(deps: Deps) {
  const { clock } = deps;
  const files = createFilesService(deps);

  /**
   * Creates a group (instance admins, `group.create`) or a working group under `parent`
   * (the parent's admins, `group.createSub`). The creator becomes its first admin.
   */
  async function create(actor: Actor, raw: unknown): Promise<GroupRef> {
    const input = parse(CreateGroupInput, raw);
    // Sent twice with the same key: the group created the first time, nothing written.
    const created = await once(deps, { userId: userIdOf(actor), key: input.key, scope: 'group.create' }, async (tx) => {
      let parentId: GroupId | null = null;
      if (input.parent) {
        const parent = await groupSeenBySlug(tx, actor, input.parent);
        authorize(actor, 'group.createSub', groupFacts(parent));
        parentId = parent.id;
      } else authorize(actor, 'group.create');
      if (!isUser(actor)) return notFound();
      const slug = input.slug ?? (await uniqueSlug(tx, input.name));
      await assertSlugFree(tx, slug);
      const id = newId<GroupId>();
      const now = clock.now().toISOString();
      await tx
        .insertInto('groups')
        .values({ id, parentId, name: input.name, slug, description: input.description, coverFileId: null, visibility: input.visibility, createdBy: actor.userId, createdAt: now, lastSeq: 0, discussionCount: 0, memberCount: 1, lastActivityAt: now })
        .execute();
      await tx.insertInto('memberships').values({ groupId: id, userId: actor.userId, role: 'admin', createdAt: now, readFloorSeq: 0, unreadCount: 0 }).execute();
      await recordEvent(tx, { type: 'group.created', groupId: id, actorId: actor.userId, data: { slug, parentId } }, clock.now());
      return id;
    });
    return (await findGroupById(deps.db, created)) ?? notFound();
  }

  /** Changes name, slug, description or visibility (`group.manage`). */
  async function update(actor: Actor, slug: string, raw: unknown): Promise<GroupRef> {
    const input = parse(UpdateGroupInput, raw);
    return inTx(deps, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.manage', groupFacts(g));
      if (input.slug && input.slug !== g.slug) await assertSlugFree(tx, input.slug, g.id);
      const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      if (Object.keys(changes).length) {
        await tx.updateTable('groups').set(changes).where('id', '=', g.id).execute();
        await recordEvent(tx, { type: 'group.updated', groupId: g.id, actorId: isUser(actor) ? actor.userId : null, data: { fields: Object.keys(changes) } }, clock.now());
      }
      return (await findGroupById(tx, g.id))!;
    });
  }

  /** Uploads a new cover image (`group.manage`), or removes it when `file` is null. */
  async function setCover(actor: Actor, slug: string, file: File | null): Promise<{ coverUrl: string | null }> {
    const g = await groupSeenBySlug(deps.db, actor, slug);
    authorize(actor, 'group.manage', groupFacts(g));
    const uploaded = file ? await files.upload(actor, { file, purpose: 'cover', groupId: g.id }) : null;
    await inTx(deps, async (tx) => {
      await tx.updateTable('groups').set({ coverFileId: uploaded?.id ?? null }).where('id', '=', g.id).execute();
      await recordEvent(tx, { type: 'group.cover_changed', groupId: g.id, actorId: isUser(actor) ? actor.userId : null }, clock.now());
    }).finally(() => files.dropUnlinked(uploaded ? [uploaded.id] : []));
    return { coverUrl: uploaded?.url ?? null };
  }

  /** Adds an external resource (title + http/https URL) at the end of the list. */
  async function addLink(actor: Actor, slug: string, raw: unknown) {
    const input = parse(LinkInput, raw);
    return once(deps, { userId: userIdOf(actor), key: input.key, scope: 'group.link' }, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.manage', groupFacts(g));
      const last = await tx.selectFrom('groupLinks').select((eb) => eb.fn.max('position').as('p')).where('groupId', '=', g.id).executeTakeFirst();
      const id = newId();
      const position = Number(last?.p ?? 0) + 1;
      await tx.insertInto('groupLinks').values({ id, groupId: g.id, title: input.title, url: input.url, position, createdAt: clock.now().toISOString() }).execute();
      await recordEvent(tx, { type: 'group.link_added', groupId: g.id, actorId: isUser(actor) ? actor.userId : null, data: { linkId: id } }, clock.now());
      return { id, title: input.title, url: input.url, position };
    });
  }

  /** Removes an external resource. */
  async function removeLink(actor: Actor, slug: string, raw: unknown) {
    const input = parse(LinkIdInput, raw);
    await inTx(deps, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.manage', groupFacts(g));
      const r = await tx.deleteFrom('groupLinks').where('id', '=', input.linkId).where('groupId', '=', g.id).executeTakeFirst();
      if (!Number(r.numDeletedRows)) notFound();
      await recordEvent(tx, { type: 'group.link_removed', groupId: g.id, actorId: isUser(actor) ? actor.userId : null, data: { linkId: input.linkId } }, clock.now());
    });
  }

  /** Moves a link one place up or down (swaps positions with its neighbour). */
  async function moveLink(actor: Actor, slug: string, raw: unknown) {
    const input = parse(MoveLinkInput, raw);
    await inTx(deps, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.manage', groupFacts(g));
      const links = await tx.selectFrom('groupLinks').select(['id', 'position']).where('groupId', '=', g.id).orderBy('position').orderBy('id').execute();
      const i = links.findIndex((l) => l.id === input.linkId);
      if (i < 0) notFound();
      const j = input.direction === 'up' ? i - 1 : i + 1;
      if (j < 0 || j >= links.length) return;
      [links[i], links[j]] = [links[j], links[i]];
      // Renumber 1..n so equal positions from older data cannot make a swap a no-op.
      for (let k = 0; k < links.length; k++) if (links[k].position !== k + 1) await tx.updateTable('groupLinks').set({ position: k + 1 }).where('id', '=', links[k].id).execute();
      await recordEvent(tx, { type: 'group.link_moved', groupId: g.id, actorId: isUser(actor) ? actor.userId : null, data: { linkId: input.linkId } }, clock.now());
    });
  }

  return { create, update, setCover, addLink, removeLink, moveLink };
}
