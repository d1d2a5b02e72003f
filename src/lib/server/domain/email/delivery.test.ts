import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { createTestApp, engines } from '../../../../../tests/support/app';
import { makeMailCircle, pendingMails, start } from '../../../../../tests/support/email-factories';
import { startSink } from '../../../../../tests/support/smtp-sink';
import { handleOneClick } from '../../mail-in/one-click';

describe.each(engines)('%s: nothing lost', (engine) => {
  it('SMTP down mid-run, a process dying with jobs claimed: every mail arrives exactly once when back', async () => {
    const sink = await startSink();
    const app = await createTestApp(engine, { SMTP_URL: sink.url, MAIL_DOMAIN: 'ruche.test' });
    try {
      const c = await makeMailCircle(app, { anne: 'all', bert: 'all', admin: 'all' });
      for (let i = 0; i < 8; i++) {
        const d = await start(app, [c.anne, c.bert, c.admin][i % 3].actor, c.g.slug, `Topic ${i}`);
        await app.discussions.reply([c.bert, c.admin, c.anne][i % 3].actor, { discussionId: d.id, body: `Reply ${i}` });
      }
      const expected = (await pendingMails(app)).map((m) => `${m.messageId} ${m.to}`).sort();
      expect(expected).toHaveLength(32);
      await app.jobs.runDue(5);
      await sink.waitFor(5);
      await sink.stop(); // the relay goes down mid-run
      await app.jobs.runDue(10);
      // Another process claimed some jobs and died before marking them sent.
      const orphans = await app.db.selectFrom('jobs').select('id').where('doneAt', 'is', null).where('lockedUntil', 'is', null).orderBy('runAt').limit(4).execute();
      await app.db.updateTable('jobs').set({ lockedBy: 'dead', lockedUntil: new Date(app.clock.now().getTime() + 60_000).toISOString() }).where('id', 'in', orphans.map((o) => o.id)).execute();
      await app.jobs.runDue(50);
      expect(sink.received).toHaveLength(5);
      app.clock.advance(3600_000); // an hour later the relay is back
      await sink.start();
      for (let i = 0; i < 10 && (await pendingMails(app)).length > 0; i++) {
        await app.jobs.runDue(50);
        app.clock.advance(3600_000);
      }
      expect(await pendingMails(app)).toEqual([]);
      const got = sink.received.map((r) => `${r.parsed.messageId} ${r.rcpt[0]}`).sort();
      expect(got).toEqual(expected);
    } finally {
      await app.cleanup();
      await sink.stop();
    }
  });

  it('answers the RFC 8058 one-click POST without a login or an Origin, and changes the level', async () => {
    const app = await createTestApp(engine);
    const server = http.createServer((req, res) => handleOneClick(app, req, res) || res.writeHead(418).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const c = await makeMailCircle(app, { anne: 'all' });
      const d = await start(app, c.bert.actor, c.g.slug);
      const m = (await pendingMails(app)).find((x) => x.to === c.emails.anne && x.messageId.includes(d.id))!;
      const url = new URL(m.headers!['List-Unsubscribe'].slice(1, -1));
      const port = (server.address() as { port: number }).port;
      const post = (path: string, body: string) => fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect((await post(url.pathname, 'nope')).status).toBe(400);
      expect((await post(url.pathname.slice(0, -3) + 'AAA', 'List-Unsubscribe=One-Click')).status).toBe(404);
      expect((await post(url.pathname, 'List-Unsubscribe=One-Click')).status).toBe(200);
      expect((await app.email.groupSettings(c.anne.actor, { groupSlug: c.g.slug })).level).toBe('none');
      expect((await fetch(`http://127.0.0.1:${port}${url.pathname}`)).status).toBe(418); // GET goes to the page
    } finally {
      server.close();
      await app.cleanup();
    }
  });
});
