import type { Config } from '../config';
import type { Db, DbHandle, Dialect, Tx } from '../db/connect';
import type { Clock } from './clock';

/** What every service receives from the composition root. No DI container: a plain object. */
export type Deps = {
  h: DbHandle;
  db: Db;
  dialect: Dialect;
  clock: Clock;
  config: Config;
  /** Called after a commit that enqueued jobs, so mail leaves without waiting for a tick. */
  pokeJobs: () => void;
  log: (msg: string) => void;
};

/** Runs `fn` in one transaction: domain rows + event + jobs commit together, or nothing does. */
export async function inTx<T>(deps: Deps, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const out = await deps.db.transaction().execute(fn);
  deps.pokeJobs();
  return out;
}
