import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import type { Tx } from '../../db/connect';
import { conflict, notFound } from '../../kernel/errors';
import { recordEvent } from '../../kernel/outbox';
import { fields, parse, text } from '../../kernel/validate';
import { can, type Actor, type UserActor } from '../../policy';
import { endCredentialsIn } from './sessions';

const flag = z.union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'on']).transform((s) => s === '1' || s === 'true' || s === 'on')]);
export const ListUsersInput = z.object({ after: text().max(100).optional(), q: text().trim().max(100, 'too_long').optional() });
export const SetAdminInput = z.object({ userId: fields.uuid, isAdmin: flag });
export const SetDisabledInput = z.object({ userId: fields.uuid, disabled: flag });

export type AdminUserView = { id: string; name: string; handle: string; email: string; isAdmin: boolean; disabled: boolean; createdAt: string; /** Mail to this address bounces. */ mailFailing: boolean };
const PAGE = 50;

/** Hidden pages stay hidden: a non-admin learns nothing, not even that the page exists. */
function admin(actor: Actor): UserActor {
  if (!can(actor, 'user.manage')) notFound();
  return actor as UserActor;
}

/** Active administrators other than `userId`: the association must always keep one. */
async function otherActiveAdmins(tx: Tx, userId: string): Promise<number> {
  const r = await tx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('isAdmin', '=', 1)
    .where('disabledAt', 'is', null)
    .where('id', '<>', userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Instance administrators manage accounts: list, grant or remove admin rights, disable. */
export function createAdminUsers(deps: Deps) {
  const { db, clock } = deps;
  return {
    /** All accounts by creation order, 50 at a time (keyset on the time-sortable id). */
    async listUsers(actor: Actor, raw: unknown = {}): Promise<{ items: AdminUserView[]; next: string | null }> {
      admin(actor);
      const input = parse(ListUsersInput, raw);
      let q = db.selectFrom('users').select(['id', 'name', 'handle', 'email', 'isAdmin', 'disabledAt', 'createdAt', 'mailFailingAt']).orderBy('id').limit(PAGE + 1);
      if (input.after) q = q.where('id', '>', input.after);
      if (input.q) {
        const like = `%${input.q.toLowerCase().replace(/[%_\\]/g, '')}%`;
        q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb('email', 'like', like), eb('handle', 'like', like)]));
      }
      const rows = await q.execute();
      const items = rows.slice(0, PAGE).map((r) => ({ id: r.id, name: r.name, handle: r.handle, email: r.email, isAdmin: r.isAdmin === 1, disabled: r.disabledAt !== null, createdAt: r.createdAt, mailFailing: Boolean(r.mailFailingAt) }));
      return { items, next: rows.length > PAGE ? items[items.length - 1].id : null };
    },

    /** Grants or removes administrator rights; never removes the last active administrator. */
    async setAdmin(actor: Actor, raw: unknown): Promise<void> {
      const a = admin(actor);
      const input = parse(SetAdminInput, raw);
      await inTx(deps, async (tx) => {
        const u = await tx.selectFrom('users').select(['id', 'isAdmin', 'disabledAt']).where('id', '=', input.userId).executeTakeFirst();
        if (!u) return notFound();
        if (!input.isAdmin && u.isAdmin === 1 && !u.disabledAt && (await otherActiveAdmins(tx, u.id)) === 0) conflict('last_admin');
        await tx.updateTable('users').set({ isAdmin: input.isAdmin ? 1 : 0 }).where('id', '=', u.id).execute();
        await recordEvent(tx, { type: input.isAdmin ? 'user.made_admin' : 'user.unmade_admin', actorId: a.userId, data: { userId: u.id } }, clock.now());
      });
    },

    /** Disables (or re-enables) an account: its sessions end at once; never the last active admin. */
    async setDisabled(actor: Actor, raw: unknown): Promise<void> {
      const a = admin(actor);
      const input = parse(SetDisabledInput, raw);
      await inTx(deps, async (tx) => {
        const u = await tx.selectFrom('users').select(['id', 'isAdmin', 'disabledAt']).where('id', '=', input.userId).executeTakeFirst();
        if (!u) return notFound();
        if (input.disabled && u.isAdmin === 1 && !u.disabledAt && (await otherActiveAdmins(tx, u.id)) === 0) conflict('last_admin');
        await tx.updateTable('users').set({ disabledAt: input.disabled ? (u.disabledAt ?? clock.now().toISOString()) : null }).where('id', '=', u.id).execute();
        if (input.disabled) await endCredentialsIn(tx, u.id, clock.now());
        await recordEvent(tx, { type: input.disabled ? 'user.disabled' : 'user.enabled', actorId: a.userId, data: { userId: u.id } }, clock.now());
      });
    },
  };
}
