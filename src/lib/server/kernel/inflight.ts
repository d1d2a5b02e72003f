/**
 * Requests being handled, so that stopping the server lets them finish before the database
 * closes. A request whose client went away still runs to its end (its transaction commits or
 * rolls back as a whole); without this, a shutdown could pull the database from under it.
 */
export function createInflight() {
  let n = 0;
  const waiters = new Set<() => void>();
  return {
    /** Runs `fn` counted as one request in flight. */
    async run<T>(fn: () => Promise<T>): Promise<T> {
      n++;
      try {
        return await fn();
      } finally {
        if (--n === 0) for (const w of [...waiters]) w();
      }
    },
    get count() {
      return n;
    },
    /** Resolves true once none are left, or false after `ms`. */
    idle(ms: number): Promise<boolean> {
      if (n === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(done);
          resolve(false);
        }, ms);
        waiters.add(done);
      });
    },
  };
}
export type Inflight = ReturnType<typeof createInflight>;
