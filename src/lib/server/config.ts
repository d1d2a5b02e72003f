import { z } from 'zod';
import path from 'node:path';
import { isIP } from 'node:net';

/** One IP address or CIDR block ("192.0.2.25", "10.0.0.0/8", "2001:db8::/32"), normalised to CIDR. */
function toCidr(s: string): string | null {
  const [addr, bits, ...rest] = s.trim().split('/');
  const family = isIP(addr ?? '');
  if (!family || rest.length) return null;
  const max = family === 4 ? 32 : 128;
  if (bits === undefined) return `${addr}/${max}`;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return `${addr}/${Number(bits)}`;
}

/**
 * Configuration: environment variables parsed by one schema at start-up, with embedded
 * defaults, so `npm start` works on a fresh machine and a typo fails early and clearly.
 */
const Env = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    BASE_URL: z.url({ message: 'BASE_URL must be a full URL such as https://ruche.example.org' }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .refine((s) => s.startsWith('postgres://') || s.startsWith('postgresql://') || s.startsWith('sqlite:') || s === '', {
        message: 'DATABASE_URL must be postgres://user:pass@host/db, or sqlite:/path/to/file.db',
      })
      .optional(),
    SMTP_URL: z
      .string()
      .refine((s) => /^smtps?:\/\//.test(s), { message: 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://…' })
      .optional(),
    MAIL_FROM: z.string().optional(),
    MAIL_DOMAIN: z.string().optional(),
    SMTP_IN_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
    MAIL_TRUSTED_RELAYS: z
      .string()
      .refine((s) => s.split(',').every((p) => toCidr(p) !== null), {
        message: 'MAIL_TRUSTED_RELAYS must be IP addresses or CIDR blocks separated by commas, such as 192.0.2.25,10.0.0.0/8',
      })
      .optional(),
    MAIL_TRUSTED_AUTHSERV_ID: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,253}$/, { message: 'MAIL_TRUSTED_AUTHSERV_ID must be the host name your relay writes first in its Authentication-Results header, such as mx.example.org' })
      .optional(),
    MAX_UPLOAD_MB: z.coerce.number().positive().max(1024).default(10),
    PAGE_CACHE_MB: z.coerce.number({ message: 'PAGE_CACHE_MB must be a number of megabytes (0 turns the page cache off)' }).min(0).max(4096).default(64),
    PUSH_SERVICES: z
      .string()
      .refine((s) => s.split(',').every((h) => /^(\*\.)?[a-z0-9.-]+(:\d+)?$/i.test(h.trim())), { message: 'PUSH_SERVICES must be host names of push services separated by commas, such as fcm.googleapis.com,*.push.apple.com' })
      .optional(),
    REDIS_URL: z
      .string()
      .refine((s) => /^rediss?:\/\//.test(s), { message: 'REDIS_URL must look like redis://host:6379' })
      .optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    // Read by adapter-node too (event.getClientAddress()); validated here so a typo stops the server.
    ADDRESS_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, { message: 'ADDRESS_HEADER must be a header name such as X-Forwarded-For or X-Real-IP' })
      .optional(),
    XFF_DEPTH: z.coerce.number({ message: 'XFF_DEPTH must be a whole number of trusted proxies, 1 or more' }).int().min(1).max(20).default(1),
  })
  .superRefine((e, ctx) => {
    // Half a relay configuration would either trust nothing or trust any header: say which half is missing.
    if (e.MAIL_TRUSTED_RELAYS && !e.MAIL_TRUSTED_AUTHSERV_ID)
      ctx.addIssue({ code: 'custom', path: ['MAIL_TRUSTED_AUTHSERV_ID'], message: 'MAIL_TRUSTED_AUTHSERV_ID is required with MAIL_TRUSTED_RELAYS: the host name your relay writes first in its Authentication-Results header' });
    if (e.MAIL_TRUSTED_AUTHSERV_ID && !e.MAIL_TRUSTED_RELAYS)
      ctx.addIssue({ code: 'custom', path: ['MAIL_TRUSTED_RELAYS'], message: 'MAIL_TRUSTED_RELAYS is required with MAIL_TRUSTED_AUTHSERV_ID: the IP addresses of the relay that delivers mail to SMTP_IN_PORT' });
  });

export type Config = {
  port: number;
  host: string;
  baseUrl: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  smtpUrl?: string;
  mailFrom: string;
  mailDomain: string;
  smtpInPort: number;
  /**
   * Inbound mail from these addresses (CIDR) comes through a relay that checked SPF, DKIM and
   * DMARC itself: its `Authentication-Results` header (authserv-id `mailAuthservId`) is
   * believed instead of checking again. Empty: every sender is checked here.
   */
  mailTrustedRelays: string[];
  mailAuthservId: string | null;
  maxUploadBytes: number;
  /** Memory for rendered pages kept until the database changes (page-cache.ts); 0: none. */
  pageCacheBytes: number;
  /**
   * Push services a device may subscribe through (their hosts; `*.` for any sub-domain). The
   * server sends to these URLs, so they are never an address of the member's choosing.
   */
  pushServices: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Redis for realtime fan-out and presence across processes; without it, in memory. */
  redisUrl?: string;
  /** Header holding the client's address behind a reverse proxy (lower-cased); null: the socket's peer. */
  addressHeader: string | null;
  /** With X-Forwarded-For: how many trusted proxies append to it (the address is read that far from the right). */
  xffDepth: number;
};

/** The push services of Chrome, Edge and Android (FCM), Firefox, Safari and iOS, and Windows. */
export const DEFAULT_PUSH_SERVICES = 'fcm.googleapis.com,updates.push.services.mozilla.com,*.push.services.mozilla.com,web.push.apple.com,*.push.apple.com,*.notify.windows.com';

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line per problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const db = e.DATABASE_URL;
  const database: Config['database'] =
    db && db.startsWith('postgres')
      ? { kind: 'postgres', url: db }
      : { kind: 'sqlite', file: db?.startsWith('sqlite:') ? db.slice('sqlite:'.length) : path.join(dataDir, 'ruche.db') };
  const host = new URL(baseUrl).hostname;
  return {
    port: e.PORT,
    host: e.HOST,
    baseUrl,
    dataDir,
    database,
    smtpUrl: e.SMTP_URL,
    mailDomain: e.MAIL_DOMAIN ?? host,
    mailFrom: e.MAIL_FROM ?? `Ruche <noreply@${e.MAIL_DOMAIN ?? host}>`,
    smtpInPort: e.SMTP_IN_PORT,
    mailTrustedRelays: e.MAIL_TRUSTED_RELAYS ? e.MAIL_TRUSTED_RELAYS.split(',').map((p) => toCidr(p)!) : [],
    mailAuthservId: e.MAIL_TRUSTED_AUTHSERV_ID?.toLowerCase() ?? null,
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    pageCacheBytes: Math.round(e.PAGE_CACHE_MB * 1024 * 1024),
    pushServices: (e.PUSH_SERVICES ?? DEFAULT_PUSH_SERVICES).split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    addressHeader: e.ADDRESS_HEADER ? e.ADDRESS_HEADER.toLowerCase() : null,
    xffDepth: e.XFF_DEPTH,
  };
}
