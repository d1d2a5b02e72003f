/**
 * Domain errors. The domain never speaks HTTP: each surface (page action, JSON API,
 * WebSocket, inbound mail) maps these to its own transport.
 */
export type Issue = { path: string; code: string; params?: Record<string, string | number> };

const BRAND = Symbol.for('ruche.DomainError');

export class DomainError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly kind: 'not_found' | 'forbidden' | 'invalid' | 'conflict' | 'rate_limited' | 'unauthenticated',
    /** i18n key under `errors.` that explains the problem to a person. */
    readonly code: string,
    readonly issues: Issue[] = [],
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

/** The thing does not exist, or the actor may not know it exists (same answer on purpose). */
export const notFound = (code = 'not_found'): never => {
  throw new DomainError('not_found', code);
};
export const forbidden = (code = 'forbidden'): never => {
  throw new DomainError('forbidden', code);
};
export const unauthenticated = (code = 'login_required'): never => {
  throw new DomainError('unauthenticated', code);
};
export const invalid = (issues: Issue[], code = 'invalid'): never => {
  throw new DomainError('invalid', code, issues);
};
/**
 * One invalid field, with an i18n code under `errors.`. The params go with the error too,
 * since a form's summary line and the API's message are the same sentence as the field's.
 */
export const invalidField = (path: string, code: string, params?: Record<string, string | number>): never => {
  throw new DomainError('invalid', code, [{ path, code, params }], params ?? {});
};
export const conflict = (code: string): never => {
  throw new DomainError('conflict', code);
};
export const rateLimited = (code: string, params: Record<string, string | number> = {}): never => {
  throw new DomainError('rate_limited', code, [], params);
};
/** Checks by brand, not instanceof: the production entry and the page bundle load separate copies. */
export const isDomainError = (e: unknown): e is DomainError => typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
