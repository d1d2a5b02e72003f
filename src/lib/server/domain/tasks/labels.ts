import type { Tx } from '../../db/connect';
import { inTx, type Deps } from '../../kernel/deps';
import { DomainError, notFound } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import { labelsOf } from './board';
import { LabelCreateInput, LabelEditInput, LabelRef } from './schemas';
import { groupFactsOf, groupOr404 } from './tasks.repo';
import type { LabelView } from './views';

/** At most this many labels per group. */
export const LABELS_MAX = 50;

/** A group's labels (a name and a colour each), managed by its members. Names are unique per group. */
export function createLabels(deps: Deps) {
  const { db, clock } = deps;

  async function forLabels(tx: Tx, actor: Actor, slug: string) {
    const g = await groupOr404(tx, slug);
    authorize(actor, 'group.read', groupFactsOf(g));
    authorize(actor, 'task.labels', groupFactsOf(g));
    return g;
  }
  const taken = async (tx: Tx, groupId: string, name: string, except = '') =>
    (await labelsOf(tx, groupId)).some((l) => l.id !== except && l.name.toLowerCase() === name.toLowerCase());
  const exists = () => new DomainError('conflict', 'label_exists', [{ path: 'name', code: 'label_exists' }]);
  const changed = (tx: Tx, groupId: string, actor: Actor, labelId: string) =>
    recordEvent(tx, { type: 'task.board_changed', groupId, actorId: isUser(actor) ? actor.userId : null, data: { labelId } }, clock.now());

  return {
    /** The group's labels (readers of the group). */
    async labels(actor: Actor, raw: { groupSlug: string }): Promise<LabelView[]> {
      const g = await groupOr404(db, raw.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      return labelsOf(db, g.id);
    },

    async addLabel(actor: Actor, raw: unknown): Promise<LabelView> {
      const input = parse(LabelCreateInput, raw);
      return inTx(deps, async (tx) => {
        const g = await forLabels(tx, actor, input.groupSlug);
        if (await taken(tx, g.id, input.name)) throw exists();
        if ((await labelsOf(tx, g.id)).length >= LABELS_MAX) throw new DomainError('invalid', 'labels_full', [{ path: 'name', code: 'labels_full', params: { max: LABELS_MAX } }], { max: LABELS_MAX });
        const id = newId();
        await tx.insertInto('taskLabels').values({ id, groupId: g.id, name: input.name, color: input.color, createdAt: clock.now().toISOString() }).execute();
        await changed(tx, g.id, actor, id);
        return { id, name: input.name, color: input.color };
      });
    },

    async editLabel(actor: Actor, raw: unknown): Promise<LabelView> {
      const input = parse(LabelEditInput, raw);
      return inTx(deps, async (tx) => {
        const g = await forLabels(tx, actor, input.groupSlug);
        const l = (await tx.selectFrom('taskLabels').selectAll().where('id', '=', input.labelId).where('groupId', '=', g.id).executeTakeFirst()) ?? notFound();
        if (input.name !== undefined && (await taken(tx, g.id, input.name, l.id))) throw exists();
        const set = { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.color !== undefined ? { color: input.color } : {}) };
        if (Object.keys(set).length) await tx.updateTable('taskLabels').set(set).where('id', '=', l.id).execute();
        await changed(tx, g.id, actor, l.id);
        return { id: l.id, name: input.name ?? l.name, color: (input.color ?? l.color) as LabelView['color'] };
      });
    },

    async removeLabel(actor: Actor, raw: unknown): Promise<{ ok: true }> {
      const input = parse(LabelRef, raw);
      return inTx(deps, async (tx) => {
        const g = await forLabels(tx, actor, input.groupSlug);
        const l = (await tx.selectFrom('taskLabels').select('id').where('id', '=', input.labelId).where('groupId', '=', g.id).executeTakeFirst()) ?? notFound();
        await tx.deleteFrom('taskLabelLinks').where('labelId', '=', l.id).execute();
        await tx.deleteFrom('taskLabels').where('id', '=', l.id).execute();
        await changed(tx, g.id, actor, l.id);
        return { ok: true as const };
      });
    },
  };
}
