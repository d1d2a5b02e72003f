import { freePort } from '../support/ports';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type Running } from '../../server/main';
import { loadConfig } from '../../src/lib/server/config';
import { MemoryMailTransport } from '../../src/lib/server/adapters/mail/mail-transport';
import { createApp } from '../../src/lib/server/app';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export type E2E = {
  running: Running; url: string; browser: Browser; mailbox: MemoryMailTransport; newPage(opts?: { javaScriptEnabled?: boolean; locale?: string; userAgent?: string }): Promise<{ context: BrowserContext; page: Page }>;
  /** Puts a fresh session cookie for `userId` into a browser context. */
  signIn(context: BrowserContext, userId: string): Promise<void>;
  close(): Promise<void>;
};

/** A real server on a random port (fresh SQLite file) and Debian's Chromium. */
export async function startE2E(): Promise<E2E> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-e2e-'));
  const port = await freePort();
  const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`, SMTP_IN_PORT: '0' });
  const mailbox = new MemoryMailTransport();
  const app = await createApp(config, { mail: mailbox, log: () => {} });
  process.env.ORIGIN = config.baseUrl;
  const running = await startServer(config, { app, quiet: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    running,
    url: config.baseUrl,
    browser,
    mailbox,
    async newPage(opts = {}) {
      const context = await browser.newContext({ javaScriptEnabled: opts.javaScriptEnabled ?? true, locale: opts.locale ?? 'fr-BE', baseURL: config.baseUrl, ...(opts.userAgent ? { userAgent: opts.userAgent } : {}) });
      const page = await context.newPage();
      return { context, page };
    },
    async signIn(context, userId) {
      const s = await app.sessions.start(userId as never, 'e2e');
      await context.addCookies([{ name: 'ruche_session', value: s.token, url: config.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    },
    async close() {
      await browser.close();
      await running.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
