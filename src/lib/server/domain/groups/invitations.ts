import type { Deps } from '../../kernel/deps';
import { inTx } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import type { Tx } from '../../db/connect';
import type { Role } from '../../db/schema';
import { conflict, invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { hashSecret, isUuid, newId, newSecret, type InvitationId, type UserId } from '../../kernel/ids';
import { enqueueJob, recordEvent } from '../../kernel/outbox';
import { fields, parse } from '../../kernel/validate';
import { authorize, isUser, userIdOf, type Actor } from '../../policy';
import { renderSimpleMail } from '../../adapters/mail/render';
import { formatDate, isLocale, locales, translator, type Locale } from '../../../i18n';
import { createAuth, type ClientContext } from '../accounts/auth';
import { serverSecret } from '../../kernel/secret';
import { createHmac } from 'node:crypto';
import { groupFacts, groupSeenBySlug, type GroupRef } from './group';
import { addMember } from './membership';
import { InvitationSignupInput, InvitationTokenInput, InviteEmailsInput, InviteLinkInput, RevokeInvitationInput, InvitationRef } from './schemas';

export type InvitationState = 'valid' | 'expired' | 'revoked' | 'used_up';
type InvitationRow = { id: string; groupId: string | null; email: string | null; role: string; expiresAt: string; maxUses: number | null; useCount: number; revokedAt: string | null; createdBy: string };

export const MAX_EMAILS = 50;
const DAY = 86_400_000;

/** Why an invitation can no longer be used, or 'valid'. */
export function invitationState(inv: Pick<InvitationRow, 'expiresAt' | 'maxUses' | 'useCount' | 'revokedAt'>, now: Date): InvitationState {
  if (inv.revokedAt) return 'revoked';
  if (inv.expiresAt <= now.toISOString()) return 'expired';
  if (inv.maxUses !== null && inv.useCount >= inv.maxUses) return 'used_up';
  return 'valid';
}

/** Splits "a@x.org, b@y.be\nc@z.eu" into unique, validated, lower-cased addresses. */
export function parseEmailList(raw: string | string[]): string[] {
  const parts = (Array.isArray(raw) ? raw.join('\n') : raw).split(/[\s,;]+/).filter(Boolean);
  const bad: string[] = [];
  const ok = new Set<string>();
  for (const p of parts) {
    const r = fields.email.safeParse(p);
    if (r.success) ok.add(r.data);
    else bad.push(p.slice(0, 60));
  }
  if (bad.length) invalidField('emails', 'email_list', { list: bad.slice(0, 5).join(', ') });
  if (!ok.size) invalidField('emails', 'required');
  if (ok.size > MAX_EMAILS) invalidField('emails', 'too_many', { max: MAX_EMAILS });
  return [...ok];
}

/** Invitations to a group, or to the association alone (group null, instance admins). */
export function invitationCommands(deps: Deps) {
  const { db, clock, config } = deps;
  const auth = createAuth(deps);

  /** The group and ability behind an invitation page: `group.invite`, or `instance.admin` without a group. */
  async function scopeOf(tx: Tx, actor: Actor, slug: string | null): Promise<GroupRef | null> {
    if (slug === null) {
      authorize(actor, 'instance.admin');
      return null;
    }
    const g = await groupSeenBySlug(tx, actor, slug);
    authorize(actor, 'group.invite', groupFacts(g));
    return g;
  }

  async function insertInvitation(tx: Tx, actor: Actor, groupId: string | null, email: string | null, role: Role, days: number, maxUses: number | null, token = newSecret()) {
    const id = newId<InvitationId>();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + days * DAY).toISOString();
    await tx
      .insertInto('invitations')
      .values({ id, groupId, email, tokenHash: hashSecret(token), role, createdBy: userIdOf(actor)!, createdAt: now.toISOString(), expiresAt, maxUses, useCount: 0, revokedAt: null })
      .execute();
    await recordEvent(tx, { type: 'invitation.created', groupId, actorId: userIdOf(actor), data: { invitationId: id, byEmail: email !== null } }, now);
    return { id, token, url: `${config.baseUrl}/invite/${token}`, expiresAt };
  }

  /**
   * Invites one or several people by email. Each gets a single-use link by mail, written to
   * the outbox in the same transaction, in their language if they have an account, else in
   * the association's default language, with one line in each of the other two languages so
   * that whoever opens it can read it. People already in the group are skipped.
   */
  async function inviteByEmail(actor: Actor, slug: string | null, raw: unknown) {
    const input = parse(InviteEmailsInput, raw);
    const emails = parseEmailList(input.emails);
    // Sent twice with the same key: one mail per address, and the first answer again.
    return once(deps, { userId: userIdOf(actor), key: input.key, scope: 'invitation.email' }, async (tx) => {
      const g = await scopeOf(tx, actor, slug);
      const inviter = await tx.selectFrom('users').select(['name']).where('id', '=', userIdOf(actor)!).executeTakeFirstOrThrow();
      const instance = await tx.selectFrom('instance').select(['name', 'defaultLocale']).where('id', '=', 1).executeTakeFirst();
      const association = instance?.name ?? 'Ruche';
      const invited: string[] = [];
      const skipped: string[] = [];
      for (const email of emails) {
        const account = await tx.selectFrom('users').select(['id', 'locale', 'timeZone']).where('email', '=', email).executeTakeFirst();
        const already = account
          ? g
            ? await tx.selectFrom('memberships').select('userId').where('groupId', '=', g.id).where('userId', '=', account.id).executeTakeFirst()
            : account
          : undefined;
        if (already) {
          skipped.push(email);
          continue;
        }
        const inv = await insertInvitation(tx, actor, g?.id ?? null, email, g ? input.role : 'member', input.days, 1);
        const locale: Locale = isLocale(account?.locale) ? account.locale : isLocale(instance?.defaultLocale) ? instance.defaultLocale : 'fr';
        const t = translator(locale);
        const target = g ? g.name : association;
        const p = { inviter: inviter.name, group: g?.name ?? '', association, date: formatDate(inv.expiresAt, locale, account?.timeZone ?? 'Europe/Brussels', 'long') };
        const what = (l: Locale) => translator(l)(g ? 'groups.mail.body_group' : 'groups.mail.body_association', p);
        const body = renderSimpleMail({
          locale,
          heading: t('groups.mail.heading', { target }),
          paragraphs: [what(locale), t('groups.mail.expires', p)],
          action: { label: t('groups.mail.action'), url: inv.url },
          asides: locales.filter((l) => l !== locale).map((l) => ({ lang: l, text: translator(l)('groups.mail.in_language', { text: what(l), url: inv.url }) })),
          footer: t('groups.mail.footer', p),
        });
        await enqueueJob(tx, 'mail.send', { to: email, subject: t('groups.mail.subject', { inviter: inviter.name, target }), text: body.text, html: body.html, messageId: `<${inv.id}@${config.mailDomain}>` }, clock.now());
        invited.push(email);
      }
      return { invited, skipped };
    });
  }

  /** Creates a shareable link (expiry 1–30 days, optional maximum number of uses). The token is shown once. */
  async function createLink(actor: Actor, slug: string | null, raw: unknown) {
    const input = parse(InviteLinkInput, raw);
    const uid = userIdOf(actor);
    // With a form key, the token is derived from it with the server's secret: a repeated form
    // shows the same link again, and the link itself is never stored in clear.
    const token = input.key && uid ? createHmac('sha256', serverSecret(config.dataDir)).update(`invitation-link\0${uid}\0${input.key}`).digest('base64url') : newSecret();
    const first = await once(deps, { userId: uid, key: input.key, scope: 'invitation.link' }, async (tx) => {
      const g = await scopeOf(tx, actor, slug);
      const inv = await insertInvitation(tx, actor, g?.id ?? null, null, 'member', input.days, input.maxUses ?? null, token);
      return { id: inv.id, expiresAt: inv.expiresAt };
    });
    return { ...first, token, url: `${config.baseUrl}/invite/${token}` };
  }

  /** Invitations of a group (or of the association), newest first, with their state. */
  async function list(actor: Actor, slug: string | null) {
    const g = await scopeOf(db, actor, slug);
    let q = db
      .selectFrom('invitations')
      .innerJoin('users', 'users.id', 'invitations.createdBy')
      .select(['invitations.id', 'invitations.email', 'invitations.role', 'invitations.createdAt', 'invitations.expiresAt', 'invitations.maxUses', 'invitations.useCount', 'invitations.revokedAt', 'users.name as inviterName'])
      .orderBy('invitations.createdAt', 'desc')
      .orderBy('invitations.id', 'desc')
      .limit(200);
    q = g ? q.where('invitations.groupId', '=', g.id) : q.where('invitations.groupId', 'is', null);
    const rows = await q.execute();
    const now = clock.now();
    return {
      group: g ? { id: g.id, slug: g.slug, name: g.name, visibility: g.visibility } : null,
      invitations: rows.map((r) => ({ ...r, id: r.id as InvitationId, kind: r.email ? ('email' as const) : ('link' as const), state: invitationState(r, now) })),
    };
  }

  /** Revokes an invitation: its link stops working at once. */
  async function revoke(actor: Actor, slug: string | null, raw: unknown) {
    const input = parse(RevokeInvitationInput, raw);
    await inTx(deps, async (tx) => {
      const g = await scopeOf(tx, actor, slug);
      let q = tx.updateTable('invitations').set({ revokedAt: clock.now().toISOString() }).where('id', '=', input.invitationId).where('revokedAt', 'is', null);
      q = g ? q.where('groupId', '=', g.id) : q.where('groupId', 'is', null);
      const r = await q.executeTakeFirst();
      if (!Number(r.numUpdatedRows)) notFound();
      await recordEvent(tx, { type: 'invitation.revoked', groupId: g?.id ?? null, actorId: userIdOf(actor), data: { invitationId: input.invitationId } }, clock.now());
    });
  }

  async function findByToken(tx: Tx, token: string) {
    return invitationRows(tx).where('invitations.tokenHash', '=', hashSecret(token)).executeTakeFirst();
  }

  /** An invitation addressed to the actor's own email (what their inbox links to), by id. */
  async function findMine(tx: Tx, actor: Actor, id: string) {
    if (!isUser(actor) || !isUuid(id)) return null;
    const me = await tx.selectFrom('users').select('email').where('id', '=', actor.userId).executeTakeFirst();
    if (!me) return null;
    return (await invitationRows(tx).where('invitations.id', '=', id).where('invitations.email', '=', me.email.toLowerCase()).executeTakeFirst()) ?? null;
  }

  function invitationRows(tx: Tx) {
    return tx
      .selectFrom('invitations')
      .leftJoin('groups', 'groups.id', 'invitations.groupId')
      .innerJoin('users', 'users.id', 'invitations.createdBy')
      .select(['invitations.id', 'invitations.groupId', 'invitations.email', 'invitations.role', 'invitations.expiresAt', 'invitations.maxUses', 'invitations.useCount', 'invitations.revokedAt', 'invitations.createdBy', 'groups.name as groupName', 'groups.slug as groupSlug', 'users.name as inviterName']);
  }

  /** Uses one invitation, atomically: fails (and rolls back everything) if it just became unusable. */
  async function consume(tx: Tx, inv: InvitationRow) {
    const now = clock.now();
    const r = await tx
      .updateTable('invitations')
      .set((eb) => ({ useCount: eb('useCount', '+', 1) }))
      .where('id', '=', inv.id)
      .where('revokedAt', 'is', null)
      .where('expiresAt', '>', now.toISOString())
      .where((eb) => eb.or([eb('maxUses', 'is', null), eb('useCount', '<', eb.ref('maxUses'))]))
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) gone(invitationState(inv, now) === 'valid' ? 'used_up' : invitationState(inv, now));
  }

  const gone = (state: InvitationState): never => conflict(`invitation_${state}`);

  /**
   * What the invitation page shows: the association, the group and who invited. The link
   * itself is the credential, so a secret group's name is shown to its holder. Unknown
   * tokens are "not found"; spent ones carry their state so the page can say why.
   */
  async function preview(actor: Actor, raw: unknown) {
    const { token } = parse(InvitationTokenInput, raw);
    return previewOf(actor, (await findByToken(db, token)) ?? notFound());
  }

  /** The invitation an inbox line links to: only for the member it was sent to, by their address. */
  async function previewMine(actor: Actor, raw: unknown) {
    const { id } = parse(InvitationRef, raw);
    if (!isUser(actor)) return unauthenticated();
    return { id, ...(await previewOf(actor, (await findMine(db, actor, id)) ?? notFound())) };
  }

  async function previewOf(actor: Actor, inv: NonNullable<Awaited<ReturnType<typeof findByToken>>>) {
    const instance = await db.selectFrom('instance').select('name').where('id', '=', 1).executeTakeFirst();
    const uid = userIdOf(actor);
    const member = uid && inv.groupId ? await db.selectFrom('memberships').select('role').where('groupId', '=', inv.groupId).where('userId', '=', uid).executeTakeFirst() : undefined;
    return {
      state: invitationState(inv, clock.now()),
      association: instance?.name ?? 'Ruche',
      group: inv.groupId ? { name: inv.groupName!, slug: inv.groupSlug! } : null,
      inviterName: inv.inviterName,
      email: inv.email,
      alreadyMember: uid ? (inv.groupId ? !!member : true) : false,
    };
  }

  /** A signed-in member accepts: joins the group. Nothing is used up if they already belong. */
  async function accept(actor: Actor, raw: unknown): Promise<{ groupSlug: string | null }> {
    const { token } = parse(InvitationTokenInput, raw);
    if (!isUser(actor)) return unauthenticated();
    return inTx(deps, async (tx) => join(tx, actor, (await findByToken(tx, token)) ?? notFound()));
  }

  /** The member it was sent to accepts from their inbox (no link needed: their address is the proof). */
  async function acceptMine(actor: Actor, raw: unknown): Promise<{ groupSlug: string | null }> {
    const { id } = parse(InvitationRef, raw);
    if (!isUser(actor)) return unauthenticated();
    return inTx(deps, async (tx) => join(tx, actor, (await findMine(tx, actor, id)) ?? notFound()));
  }

  async function join(tx: Tx, actor: Actor & { kind: 'user'; userId: UserId }, inv: NonNullable<Awaited<ReturnType<typeof findByToken>>>): Promise<{ groupSlug: string | null }> {
    {
      const state = invitationState(inv, clock.now());
      if (state !== 'valid') gone(state);
      if (!inv.groupId) return { groupSlug: null };
      const already = await tx.selectFrom('memberships').select('role').where('groupId', '=', inv.groupId).where('userId', '=', actor.userId).executeTakeFirst();
      if (already) return { groupSlug: inv.groupSlug };
      await consume(tx, inv);
      await addMember(tx, inv.groupId, actor.userId, inv.role as Role, clock.now());
      await recordEvent(tx, { type: 'invitation.accepted', groupId: inv.groupId, actorId: actor.userId, data: { invitationId: inv.id } }, clock.now());
      await recordEvent(tx, { type: 'member.joined', groupId: inv.groupId, actorId: actor.userId, data: { userId: actor.userId, invitationId: inv.id } }, clock.now());
      return { groupSlug: inv.groupSlug };
    }
  }

  /**
   * A visitor accepts by creating an account (name, email, password): the account, the
   * membership and the use of the invitation commit together. An email invitation only
   * creates an account for that address. The session is started in the same transaction;
   * the caller sets its cookie from `session`.
   */
  async function signUp(raw: unknown, ctx: ClientContext = {}): Promise<{ userId: UserId; groupSlug: string | null; session: { token: string; expiresAt: Date; device?: string } }> {
    const input = parse(InvitationSignupInput, raw);
    return inTx(deps, async (tx) => {
      const inv = (await findByToken(tx, input.token)) ?? notFound();
      const state = invitationState(inv, clock.now());
      if (state !== 'valid') gone(state);
      if (inv.email && inv.email !== input.email) invalidField('email', 'invitation_email');
      const session = await auth.registerWithInvitation(tx, { email: input.email, name: input.name, password: input.password, locale: input.locale }, ctx);
      const user = { id: session.userId };
      await consume(tx, inv);
      if (inv.groupId) await addMember(tx, inv.groupId, user.id, inv.role as Role, clock.now());
      await recordEvent(tx, { type: 'invitation.accepted', groupId: inv.groupId, actorId: user.id, data: { invitationId: inv.id, newAccount: true } }, clock.now());
      if (inv.groupId) await recordEvent(tx, { type: 'member.joined', groupId: inv.groupId, actorId: user.id, data: { userId: user.id, invitationId: inv.id } }, clock.now());
      return { userId: user.id, groupSlug: inv.groupSlug, session: { token: session.token, expiresAt: session.expiresAt, device: session.device } };
    });
  }

  return { inviteByEmail, createLink, list, revoke, preview, accept, signUp, previewMine, acceptMine };
}
