import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../tests/support/app';
import { enqueueJob, type MailMessage } from '../kernel/outbox';
import { JobRunner } from './runner';

const msg = (n: number): MailMessage => ({ to: `m${n}@example.org`, subject: `s${n}`, text: 'hello', messageId: `<job-${n}@example.org>` });

describe.each(engines)('job runner on %s', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
  });
  afterEach(() => app.cleanup());

  it('sends a job written in a committed transaction, and nothing for a rolled-back one', async () => {
    await app.db.transaction().execute((tx) => enqueueJob(tx, 'mail.send', msg(1), app.clock.now()));
    await app.db
      .transaction()
      .execute(async (tx) => {
        await enqueueJob(tx, 'mail.send', msg(2), app.clock.now());
        throw new Error('rollback');
      })
      .catch(() => {});
    await app.jobs.runDue();
    expect(app.mailbox.sent.map((m) => m.to)).toEqual(['m1@example.org']);
    expect(await app.jobs.runDue()).toBe(0);
  });

  it('retries with back-off after a failure and sends once', async () => {
    let fail = true;
    const sent: string[] = [];
    const runner = new JobRunner(app.deps.h, app.clock, {
      'mail.send': async (m) => {
        if (fail) throw new Error('SMTP down');
        sent.push(m.messageId);
      },
    });
    await app.db.transaction().execute((tx) => enqueueJob(tx, 'mail.send', msg(3), app.clock.now()));
    expect(await runner.runDue()).toBe(1);
    expect(sent).toEqual([]);
    expect(await runner.runDue()).toBe(0); // not due yet
    fail = false;
    app.clock.advance(31_000);
    expect(await runner.runDue()).toBe(1);
    expect(sent).toEqual(['<job-3@example.org>']);
    const job = await app.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(job.attempts).toBe(2);
    expect(job.doneAt).not.toBeNull();
  });

  it('never gives the same job to two runners at once', async () => {
    for (let i = 0; i < 30; i++) await app.db.transaction().execute((tx) => enqueueJob(tx, 'mail.send', msg(i), app.clock.now()));
    const seen: string[] = [];
    const handler = { 'mail.send': async (m: MailMessage) => void seen.push(m.messageId) };
    const a = new JobRunner(app.deps.h, app.clock, handler);
    const b = new JobRunner(app.deps.h, app.clock, handler);
    await Promise.all([a.runDue(7), b.runDue(7), a.runDue(7), b.runDue(7), a.runDue(7)]);
    while ((await a.runDue(7)) > 0) {}
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });
});
