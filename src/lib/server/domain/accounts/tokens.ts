import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import { forbidden, invalidField, notFound } from '../../kernel/errors';
import { hashSecret, newId, newSecret } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse, text, visibleText } from '../../kernel/validate';
import { authorize, can, type Actor, type UserActor } from '../../policy';
import type { TokenScope } from '../../db/schema';

export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const satisfies readonly TokenScope[];
/** Lifetimes a member may pick; `never` (null) is allowed but not the default. */
export const TOKEN_EXPIRY_DAYS = [30, 90, 365] as const;
export const DEFAULT_EXPIRY_DAYS = 90;

/**
 * A new token: a name, a scope (default `read`: the least a script needs to look) and a
 * lifetime in days (30, 90 — the default — 365, or `null`/"never"). Forms send strings.
 */
export const NewTokenInput = z.object({
  name: visibleText(1, 60),
  scope: z.enum(TOKEN_SCOPES, 'bad_value').default('read'),
  expiresInDays: z
    .union([z.literal(TOKEN_EXPIRY_DAYS), z.null(), z.enum(['30', '90', '365', 'never'])], 'bad_value')
    .default(DEFAULT_EXPIRY_DAYS),
});

export type TokenView = { id: string; name: string; scope: TokenScope; createdAt: string; lastUsedAt: string | null; expiresAt: string | null; expired: boolean };
export type NewTokenView = TokenView & { /** `ruche_…`: shown in this answer only, stored hashed. */ token: string };

const IdInput = z.object({ id: text().min(1, 'not_found').max(100, 'not_found') });
const days = (v: z.infer<typeof NewTokenInput>['expiresInDays']): number | null => (v === null || v === 'never' ? null : Number(v));

/** Personal access tokens: what a member's scripts use for the API and the WebSocket. */
export function createTokens(deps: Deps) {
  const { db, clock } = deps;

  function self(actor: Actor): UserActor {
    authorize(actor, 'account.self');
    return actor as UserActor;
  }

  return {
    /**
     * Creates a token and returns its secret, once. Only from a session (a token never mints
     * another one), and only instance administrators may create `admin` tokens.
     */
    async createToken(actor: Actor, raw: unknown): Promise<NewTokenView> {
      const a = self(actor);
      if (!can(actor, 'account.token.create')) forbidden('token_cannot_create_token');
      const input = parse(NewTokenInput, raw);
      if (input.scope === 'admin' && !can(actor, 'account.token.admin')) invalidField('scope', 'token_scope_admin');
      const token = `ruche_${newSecret()}`;
      const id = newId();
      const now = clock.now();
      const lifetime = days(input.expiresInDays);
      const expiresAt = lifetime === null ? null : new Date(now.getTime() + lifetime * 86_400_000).toISOString();
      const createdAt = now.toISOString();
      await inTx(deps, async (tx) => {
        await tx
          .insertInto('accessTokens')
          .values({ id, userId: a.userId, name: input.name, tokenHash: hashSecret(token), createdAt, lastUsedAt: null, revokedAt: null, scope: input.scope, expiresAt })
          .execute();
        await recordEvent(tx, { type: 'user.token_created', actorId: a.userId, data: { tokenId: id, scope: input.scope, expiresAt } }, now);
      });
      return { id, name: input.name, scope: input.scope, createdAt, lastUsedAt: null, expiresAt, expired: false, token };
    },

    /** The member's tokens not revoked, newest first (expired ones too, marked, until revoked); never the secret. */
    async listTokens(actor: Actor): Promise<TokenView[]> {
      const a = self(actor);
      const now = clock.now().toISOString();
      const rows = await db
        .selectFrom('accessTokens')
        .select(['id', 'name', 'scope', 'createdAt', 'lastUsedAt', 'expiresAt'])
        .where('userId', '=', a.userId)
        .where('revokedAt', 'is', null)
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      return rows.map((r) => ({ ...r, scope: r.scope as TokenScope, expired: r.expiresAt !== null && r.expiresAt <= now }));
    },

    /** Revokes one of the member's tokens; another member's token is "not found". */
    async revokeToken(actor: Actor, raw: unknown): Promise<void> {
      const a = self(actor);
      const { id } = parse(IdInput, raw);
      await inTx(deps, async (tx) => {
        const r = await tx.updateTable('accessTokens').set({ revokedAt: clock.now().toISOString() }).where('id', '=', id).where('userId', '=', a.userId).where('revokedAt', 'is', null).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) notFound();
        await recordEvent(tx, { type: 'user.token_revoked', actorId: a.userId, data: { tokenId: id, userId: a.userId } }, clock.now());
      });
    },
  };
}
