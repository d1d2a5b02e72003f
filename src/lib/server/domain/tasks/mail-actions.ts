import { z } from 'zod';
import { verifyActionLink } from '../../kernel/action-links';
import { inTx, type Deps } from '../../kernel/deps';
import { DomainError, isDomainError, notFound } from '../../kernel/errors';
import type { UserId } from '../../kernel/ids';
import { secretFile } from '../../kernel/secret-file';
import { fields, parse, text } from '../../kernel/validate';
import { isUser, type Actor } from '../../policy';
import type { Sessions } from '../accounts/sessions';
import { readableTask } from './tasks.repo';

/** What a one-click mail link may do. */
export const MAIL_ACTIONS = ['done', 'take'] as const;
export type MailAction = (typeof MAIL_ACTIONS)[number];

const Input = z.object({
  taskId: fields.uuid,
  action: z.enum(MAIL_ACTIONS, 'not_found'),
  token: text().max(200, 'link_unknown'),
});

export type MailActionView = {
  /** valid: the button acts; used / expired: it did once, or too long ago; other_member: the link was sent to someone else. */
  state: 'valid' | 'used' | 'expired' | 'other_member';
  action: MailAction;
  task: { id: string; title: string; group: string; done: boolean };
  member: string;
};

/**
 * "Mark as done" and "I'll take it" from the mail itself. The link names its member, the
 * task and the action, signed with the mail secret (kernel/action-links.ts); opening it (GET)
 * only shows a confirmation page, since mail scanners follow links; the page's button acts,
 * as that member, through the same service functions as the board. It works once (its nonce
 * is recorded) and only for its member: a signed-in member who is someone else is refused.
 */
export function createMailActions(deps: Deps, o: { sessions: Sessions; complete(actor: Actor, raw: unknown): Promise<unknown>; take(actor: Actor, raw: unknown): Promise<unknown> }) {
  const { db, clock, config } = deps;
  const secret = () => secretFile(config.dataDir, 'mail-secret');

  async function check(viewer: Actor, raw: unknown) {
    const input = parse(Input, raw);
    const v = verifyActionLink(secret(), `/tasks/${input.taskId}/mail/${input.action}`, input.token, clock.now());
    if (!v.ok && v.reason === 'forged') return notFound('link_unknown');
    const { userId, nonce } = v as { userId: string; nonce: string };
    const used = await db.selectFrom('mailActionUses').select('nonce').where('nonce', '=', nonce).executeTakeFirst();
    // The recipient must still be able to read the task (they may have left the group).
    const member = await db.selectFrom('users').select(['id', 'name', 'disabledAt']).where('id', '=', userId).executeTakeFirst();
    if (!member || member.disabledAt) return notFound('link_unknown');
    const actor = await o.sessions.actorFor(userId as UserId);
    const t = await readableTask(db, actor, input.taskId);
    const state: MailActionView['state'] = !v.ok ? 'expired' : used ? 'used' : isUser(viewer) && viewer.userId !== userId ? 'other_member' : 'valid';
    return { input, v, actor, view: { state, action: input.action, task: { id: t.id, title: t.title, group: t.group.name, done: t.completedAt !== null }, member: member?.name ?? '' } satisfies MailActionView };
  }

  return {
    /** The confirmation page (GET): what the button would do, and whether the link still works. Changes nothing. */
    async info(viewer: Actor, raw: unknown): Promise<MailActionView> {
      return (await check(viewer, raw)).view;
    },

    /**
     * The button (POST): claims the link (once), then marks done or takes the task as its
     * member. A refusal by the policy or the task's state uses the link up; an unexpected
     * failure gives it back.
     */
    async perform(viewer: Actor, raw: unknown): Promise<MailActionView> {
      const { input, v, actor, view } = await check(viewer, raw);
      if (view.state === 'expired') throw new DomainError('invalid', 'link_expired');
      if (view.state === 'used' || !v.ok) throw new DomainError('invalid', 'link_used');
      if (view.state === 'other_member') throw new DomainError('forbidden', 'link_other_member');
      const claimed = await inTx(deps, async (tx) =>
        tx
          .insertInto('mailActionUses')
          .values({ nonce: v.nonce, userId: v.userId, path: `/tasks/${input.taskId}/mail/${input.action}`, usedAt: clock.now().toISOString() })
          .onConflict((oc) => oc.column('nonce').doNothing())
          .returning('nonce')
          .executeTakeFirst(),
      );
      if (!claimed) throw new DomainError('invalid', 'link_used');
      try {
        if (input.action === 'done') await o.complete(actor, { taskId: input.taskId });
        else await o.take(actor, { taskId: input.taskId });
      } catch (e) {
        if (!isDomainError(e)) await db.deleteFrom('mailActionUses').where('nonce', '=', v.nonce).execute();
        throw e;
      }
      return { ...view, state: 'used', task: { ...view.task, done: input.action === 'done' ? true : view.task.done } };
    },
  };
}
