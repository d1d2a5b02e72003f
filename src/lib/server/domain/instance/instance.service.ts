import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import { conflict } from '../../kernel/errors';
import { fields, parse, text, visibleText } from '../../kernel/validate';
import { insertUser } from '../accounts/users';
import { authorize, type Actor } from '../../policy';
import { recordEvent } from '../../kernel/outbox';
import { notFound } from '../../kernel/errors';
import { can } from '../../policy';
import path from 'node:path';
import { createOutbox } from './outbox';
import { createFirstSteps } from './first-steps';

const SetupInput = z.object({
  associationName: visibleText(2, 120),
  name: fields.name,
  email: fields.email,
  password: fields.password,
  locale: fields.locale.default('fr'),
  timeZone: text().default('Europe/Brussels'),
});

const SettingsInput = z.object({
  name: visibleText(2, 120),
  description: text().trim().max(5000, 'too_long').default(''),
  // A checkbox sends "on" or nothing; the API sends a boolean.
  openRegistration: z.union([z.boolean(), z.enum(['on', '1', 'true', '0', 'false']).transform((v) => v === 'on' || v === '1' || v === 'true')]).default(false),
  defaultLocale: fields.locale,
});

/** The association itself: first-run setup and its settings. */
export function createInstanceService(deps: Deps) {
  const { db, clock } = deps;
  const read = () => db.selectFrom('instance').selectAll().where('id', '=', 1).executeTakeFirst();
  // Every request needs the association's name and language: kept in memory, refreshed on
  // change here and at least every few seconds (other processes may change it).
  let cached: { at: number; value: Awaited<ReturnType<typeof read>> } | null = null;
  const get = async () => {
    const now = Date.now();
    if (!cached || now - cached.at > 5000) cached = { at: now, value: await read() };
    return cached.value;
  };
  const forget = () => {
    cached = null;
  };
  return {
    /** The association's row (cached for a few seconds), or undefined before setup. */
    get,
    /** True until the first admin and the association exist. */
    async needsSetup() {
      forget();
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
      }).finally(forget);
    },
    /** The settings form's current values (administrators only; others get "not found"). */
    async getSettings(actor: Actor) {
      if (!can(actor, 'instance.admin')) notFound();
      const i = (await get()) ?? notFound();
      return { name: i.name, description: i.description, openRegistration: i.openRegistration === 1, defaultLocale: i.defaultLocale };
    },
    /** Changes the association's name, description, default language and registration mode. */
    async updateSettings(actor: Actor, raw: unknown) {
      if (!can(actor, 'instance.admin')) notFound();
      authorize(actor, 'instance.admin');
      const input = parse(SettingsInput, raw);
      await inTx(deps, async (tx) => {
        await tx.updateTable('instance').set({ ...input, openRegistration: input.openRegistration ? 1 : 0 }).where('id', '=', 1).execute();
        await recordEvent(tx, { type: 'instance.settings_changed', actorId: actor.kind === 'user' ? actor.userId : null }, clock.now());
      }).finally(forget);
    },
    ...createOutbox(path.join(deps.config.dataDir, 'mail')),
    ...createFirstSteps(deps),
  };
}
export type InstanceService = ReturnType<typeof createInstanceService>;
