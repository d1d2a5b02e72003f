/**
 * `npm run ruche -- <command> [options]`: what administrators do from a shell.
 * Non-interactive; one clear line on stderr when something is wrong.
 * Exit codes: 0 done, 1 bad input or failure, 2 usage error (unknown command or option).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError } from '../lib/server/config';
import { createApp, type App } from '../lib/server/app';
import { migrate } from '../lib/server/db/migrate';
import { openDatabase } from '../lib/server/db/connect';
import { isDomainError } from '../lib/server/kernel/errors';
import { insertUser } from '../lib/server/domain/accounts/users';
import { hashPassword } from '../lib/server/domain/accounts/passwords';
import { recordEvent } from '../lib/server/kernel/outbox';
import { translator } from '../lib/i18n';
import { loadDemo } from './demo';

export class UsageError extends Error {}
export class InputError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
/** One command: its options, a one-line summary, and what it does. `app` is built on demand. */
export type Command = {
  summary: string;
  usage: string;
  options: Options;
  run(ctx: { values: Record<string, string | boolean | undefined>; positionals: string[]; app: () => Promise<App>; out: (line: string) => void }): Promise<void>;
};

/**
 * The command table. A command is a key ("user create" for sub-commands) and its entry;
 * add new commands here (e.g. `demo`, `backup`) and `help` lists them.
 */
export const commands: Record<string, Command> = {
  demo: {
    summary: 'Load a demo association (working groups, members, discussions in French and Dutch), into an empty instance or beside existing data when its group addresses, handles and emails are free',
    usage: 'demo',
    options: {},
    async run({ app, out }) {
      try {
        await loadDemo(await app(), out);
      } catch (e) {
        if (e instanceof Error && !isDomainError(e)) throw new InputError(e.message);
        throw e;
      }
    },
  },
  'user create': {
    summary: 'Create an account (with --admin, an association administrator)',
    usage: 'user create --email <email> --name <name> [--password <password>] [--locale fr|nl|en] [--admin]',
    options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, locale: { type: 'string' }, admin: { type: 'boolean' } },
    async run({ values, app, out }) {
      if (!values.email || !values.name) throw new UsageError('user create needs --email and --name');
      const a = await app();
      const input = {
        email: String(values.email),
        name: String(values.name),
        password: typeof values.password === 'string' ? values.password : undefined,
        locale: (values.locale as 'fr' | 'nl' | 'en' | undefined) ?? 'fr',
        isAdmin: values.admin === true,
      };
      // Hashed before the transaction: the server's writes wait for this one, keep it short.
      const hash = input.password ? await hashPassword(input.password) : undefined;
      const user = await a.db.transaction().execute(async (tx) => {
        const u = await insertUser(a.deps, tx, input, hash);
        await recordEvent(tx, { type: 'user.registered', actorId: u.id, data: { via: 'cli' } }, a.clock.now());
        return u;
      });
      out(`Created ${values.admin ? 'administrator' : 'user'} ${String(values.email).toLowerCase()} (@${user.handle}, id ${user.id})${values.password ? '' : '; no password: they log in with an emailed link'}`);
    },
  },
  migrate: {
    summary: 'Apply pending database migrations',
    usage: 'migrate',
    options: {},
    async run({ out }) {
      const config = loadConfig();
      const h = openDatabase(config.database);
      try {
        const applied = await migrate(h.db, h.dialect);
        out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date');
      } finally {
        await h.close();
      }
    },
  },
  help: {
    summary: 'Show the commands',
    usage: 'help',
    options: {},
    async run({ out }) {
      out('Usage: npm run ruche -- <command> [options]');
      out('');
      for (const [name, c] of Object.entries(commands)) out(`  ${c.usage.padEnd(60)}  ${c.summary}`);
    },
  },
};

/** Finds the longest command name that prefixes the arguments ("user create" before "user"). */
function resolve(argv: string[]): { name: string; rest: string[] } | null {
  for (let n = Math.min(2, argv.length); n >= 1; n--) {
    const name = argv.slice(0, n).join(' ');
    if (commands[name]) return { name, rest: argv.slice(n) };
  }
  return null;
}

/** Runs the CLI; returns the exit code (so tests can call it in-process too). */
export async function main(argv: string[], io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) }): Promise<number> {
  let app: App | null = null;
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') argv = ['help'];
    const found = resolve(argv);
    if (!found) throw new UsageError(`unknown command "${argv.join(' ')}"; run "npm run ruche -- help"`);
    const cmd = commands[found.name];
    let parsed;
    try {
      parsed = parseArgs({ args: found.rest, options: cmd.options, allowPositionals: false, strict: true });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split('\n')[0]}; usage: ${cmd.usage}`);
    }
    await cmd.run({
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
      app: async () => (app ??= await createApp(loadConfig(), { log: () => {} })),
      out: io.out,
    });
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      return 2;
    }
    if (isDomainError(e)) {
      const t = translator('en');
      const detail = e.issues.length ? e.issues.map((i) => `--${i.path}: ${t(`errors.${i.code}`, i.params)}`).join('; ') : t(`errors.${e.code}`, e.params);
      io.err(`error: ${detail}`);
      return 1;
    }
    if (e instanceof ConfigError || e instanceof InputError) {
      io.err(`error: ${e.message.replace(/\n\s*/g, ' ')}`);
      return 1;
    }
    io.err(`error: ${(e as Error)?.message ?? String(e)}`);
    return 1;
  } finally {
    if (app) await (app as App).close();
  }
}

const isEntry = process.argv[1] && /src[\\/]cli[\\/]main\.ts$/.test(process.argv[1]);
if (isEntry) main(process.argv.slice(2)).then((code) => process.exit(code));
