import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import { conflict } from '../../kernel/errors';
import { fields, parse } from '../../kernel/validate';
import { insertUser } from '../accounts/users';
import { authorize, type Actor } from '../../policy';
import { recordEvent } from '../../kernel/outbox';

const SetupInput = z.object({
  associationName: z.string().trim().min(2, 'too_short').max(120, 'too_long'),
  name: fields.name,
  email: fields.email,
  password: fields.password,
  locale: fields.locale.default('fr'),
  timeZone: z.string().default('Europe/Brussels'),
});

const SettingsInput = z.object({
  name: z.string().trim().min(2, 'too_short').max(120, 'too_long'),
  description: z.string().trim().max(5000, 'too_long').default(''),
  openRegistration: z.coerce.boolean().default(false),
  defaultLocale: fields.locale,
});

/** The association itself: first-run setup and its settings. */
export function createInstanceService(deps: Deps) {
  const { db, clock } = deps;
  const get = () => db.selectFrom('instance').selectAll().where('id', '=', 1).executeTakeFirst();
  return {
    get,
    /** True until the first admin and the association exist. */
    async needsSetup() {
      return !(await get());
    },
    /** Creates the association and its first administrator, once. */
    async setup(raw: unknown) {
      const input = parse(SetupInput, raw);
      return inTx(deps, async (tx) => {
        if (await tx.selectFrom('instance').select('id').executeTakeFirst()) conflict('already_set_up');
        const now = clock.now().toISOString();
        await tx.insertInto('instance').values({ id: 1, name: input.associationName, description: '', openRegistration: 0, defaultLocale: input.locale, createdAt: now }).execute();
        const user = await insertUser(deps, tx, { email: input.email, name: input.name, password: input.password, locale: input.locale, timeZone: input.timeZone, isAdmin: true });
        await recordEvent(tx, { type: 'instance.set_up', actorId: user.id }, clock.now());
        return user;
      });
    },
    /** Changes the association's name, description, default language and registration mode. */
    async updateSettings(actor: Actor, raw: unknown) {
      authorize(actor, 'instance.admin');
      const input = parse(SettingsInput, raw);
      await db.updateTable('instance').set({ ...input, openRegistration: input.openRegistration ? 1 : 0 }).where('id', '=', 1).execute();
    },
  };
}
export type InstanceService = ReturnType<typeof createInstanceService>;
