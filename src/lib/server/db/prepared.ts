import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema';
import type { Tx } from './connect';

/**
 * A query for the hot paths (every page view), built and compiled once per database instead
 * of on every call. Kysely builds an immutable tree, runs the plugins over it and compiles it
 * to SQL each time a query runs; for the small indexed reads of a page that costs more than
 * SQLite itself. Here `build` runs once per database (and dialect) with placeholder values;
 * each call reuses the compiled SQL and only swaps the parameters, then runs it through the
 * same executor (plugins' result transforms included, e.g. snake_case → camelCase), inside
 * the given transaction if one is given.
 *
 * Rules for `build`: it must be a plain function of its arguments used as *values* (in
 * `where`, `limit`, `set`, `values`): no branching on them, no arrays (`in (…)` lists), no
 * `sql.raw`. A placeholder that does not reach the parameters, or lands in the SQL text,
 * throws when the query is first prepared.
 */
export function prepared<P extends Record<string, unknown>, R>(names: readonly (keyof P & string)[], build: (db: Kysely<Database>, p: P) => Compilable<R>) {
  // Keyed by the dialect adapter: one per Kysely instance, shared by its transactions.
  const compiled = new WeakMap<object, { query: CompiledQuery<R>; slots: { name: string | null; value: unknown }[] }>();

  function compile(db: Tx) {
    const key = db.getExecutor().adapter as object;
    let c = compiled.get(key);
    if (c) return c;
    const markers = new Map(names.map((n) => [`\u0000ruche:prepared:${n}\u0000`, n]));
    const p = Object.fromEntries([...markers].map(([m, n]) => [n, m])) as unknown as P;
    const query = build(db as Kysely<Database>, p).compile();
    if (query.sql.includes('\u0000ruche:prepared:')) throw new Error(`prepared query: a placeholder reached the SQL text: ${query.sql}`);
    const slots = query.parameters.map((v) => (typeof v === 'string' && markers.has(v) ? { name: markers.get(v)!, value: undefined } : { name: null, value: v }));
    for (const n of names) if (!slots.some((s) => s.name === n)) throw new Error(`prepared query: "${n}" is not a parameter of ${query.sql}`);
    c = { query, slots };
    compiled.set(key, c);
    return c;
  }

  /** Runs the query with these arguments; all result rows. */
  async function execute(db: Tx, args: P): Promise<R[]> {
    const { query, slots } = compile(db);
    const parameters = slots.map((s) => (s.name === null ? s.value : args[s.name]));
    const result = await db.executeQuery<R>({ ...query, parameters });
    return result.rows;
  }

  return {
    execute,
    /** The first row, or undefined. */
    async first(db: Tx, args: P): Promise<R | undefined> {
      return (await execute(db, args))[0];
    },
  };
}
