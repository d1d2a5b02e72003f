import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeCircle } from '../../../../../tests/support/discussions-factories';
import { pendingMails } from '../../../../../tests/support/email-factories';
import { columnsOf, makeTask } from '../../../../../tests/support/tasks-factories';
import { visitor } from '../../policy';
import { UNAUTHENTICATED } from '../email/auth';
import { reminderTimes } from './reminders';

const HOUR = 3_600_000;

describe('reminder times', () => {
  it('the day before at the member’s hour in their time zone; overdue at once for a time, the next morning for a day', () => {
    // Due on Saturday 17 January (a day, in Brussels): reminded Friday 08:00 in Brussels (07:00 UTC).
    const day = { dueAt: '2026-01-16T23:00:00.000Z', dueHasTime: 0, overdueAt: '2026-01-17T23:00:00.000Z', groupTimeZone: null };
    expect(reminderTimes({ ...day, timeZone: 'Europe/Brussels', hour: 8 })).toEqual({ soon: new Date('2026-01-16T07:00:00Z'), overdue: new Date('2026-01-18T07:00:00Z') });
    // The same task for a member in New York at 18:00 their time: Friday 18:00 EST is 23:00 UTC.
    expect(reminderTimes({ ...day, timeZone: 'America/New_York', hour: 18 }).soon).toEqual(new Date('2026-01-16T23:00:00Z'));
    // Due Sunday 29 March 2026 at 10:00 Brussels (the night clocks go forward): reminded Saturday 08:00 CET.
    const timed = { dueAt: '2026-03-29T08:00:00.000Z', dueHasTime: 1, overdueAt: '2026-03-29T08:00:00.000Z', groupTimeZone: null };
    expect(reminderTimes({ ...timed, timeZone: 'Europe/Brussels', hour: 8 })).toEqual({ soon: new Date('2026-03-28T07:00:00Z'), overdue: new Date('2026-03-29T08:00:00Z') });
  });
});

describe.each(engines)('%s: task notifications, reminders, recurrences and mail actions', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine, { MAIL_DOMAIN: 'ruche.test' });
    c = await makeCircle(app, 'closed');
  });
  afterEach(() => app.cleanup());

  const rowsOf = (userId: string) => app.db.selectFrom('notifications').selectAll().where('userId', '=', userId).orderBy('createdAt').execute();
  const emailOf = async (userId: string) => (await app.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email;
  const mailsTo = async (userId: string) => {
    const to = await emailOf(userId);
    return (await pendingMails(app)).filter((m) => m.to === to);
  };
  const actionLink = (text: string, action: 'done' | 'take') => {
    const m = new RegExp(`/tasks/([0-9a-f-]{36})/mail/${action}\\?t=([A-Za-z0-9._-]+)`).exec(text);
    return m ? { taskId: m[1], action, token: m[2] } : null;
  };

  it('an assignment reaches the assignee at once, with "Mark as done" and a reply address that comments', async () => {
    const t = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Stand du samedi', description: `Avec @${c.admin.handle}`, assigneeIds: [c.bert.id, c.anne.id] });
    expect((await rowsOf(c.bert.id)).map((n) => [n.reason, n.subjectKind, n.inInbox, n.mailState])).toEqual([['assigned', 'task', 1, 'sent']]);
    // The author is never told of her own act; the admin was mentioned.
    expect(await rowsOf(c.anne.id)).toEqual([]);
    expect((await rowsOf(c.admin.id)).map((n) => n.reason)).toEqual(['mentioned']);
    const [mail] = await mailsTo(c.bert.id);
    expect(mail.subject).toContain('Stand du samedi');
    expect(mail.text).toMatch(/Anne Peeters vous a confié « Stand du samedi »/);
    expect(actionLink(mail.text, 'done')?.taskId).toBe(t);
    expect(mail.html).toContain('Marquer comme faite');
    expect(mail.replyTo).toMatch(/^r\+t-[0-9a-z]+\.[0-9a-z]+\.[0-9a-z]+\.[0-9a-z]+@ruche\.test$/);
    // Answering the mail comments on the task as Bert (through the port given by the composition root).
    const out = await app.email.receive({ from: await emailOf(c.bert.id), subject: 'Re: Stand', messageId: '<r1@example.org>', text: 'Je prends les tables.', html: null, headers: {}, contentType: 'text/plain', attachments: [], envelopeFrom: await emailOf(c.bert.id), recipient: mail.replyTo!, auth: { from: true, envelope: true, fromAddress: await emailOf(c.bert.id), summary: 'dmarc=pass' }, raw: Buffer.from('') });
    expect(out).toMatchObject({ kind: 'commented', taskId: t });
    const comments = (await app.tasks.comments(c.anne.actor, { taskId: t })).comments;
    expect(comments.map((x) => [x.author.id, x.body])).toEqual([[c.bert.id, 'Je prends les tables.']]);
    // The comment tells the task's author ("replied").
    expect((await rowsOf(c.anne.id)).map((n) => n.reason)).toEqual(['replied']);
    // Unauthenticated mail waits for Bert's confirmation, then comments through the same port.
    const held = await app.email.receive({ from: await emailOf(c.bert.id), subject: 'Re: Stand', messageId: '<r2@example.org>', text: 'Et les nappes.', html: null, headers: {}, contentType: 'text/plain', attachments: [], envelopeFrom: await emailOf(c.bert.id), recipient: mail.replyTo!, auth: UNAUTHENTICATED, raw: Buffer.from('Subject: x\r\n\r\nEt les nappes.\r\n') });
    expect(held.kind).toBe('held');
    const confirm = (await mailsTo(c.bert.id)).find((m) => m.messageId.startsWith('<held-'))!;
    const token = /\/email\/confirm\/([A-Za-z0-9._-]+)/.exec(confirm.text)![1];
    expect((await app.email.heldInfo({ token })).discussion).toBe('Stand du samedi');
    const posted = await app.email.confirmHeld({ token });
    expect(posted.url).toMatch(new RegExp(`^/tasks/${t}#tc-`));
    expect((await app.tasks.comments(c.anne.actor, { taskId: t })).comments).toHaveLength(2);
  });

  it('due date changes and completion tell assignees and the author as watchers, commenters as participants', async () => {
    const t = await makeTask(app, c.admin.actor, c.g.slug, { assigneeIds: [c.anne.id] });
    await app.tasks.comment(c.bert.actor, { taskId: t, body: 'Je peux aider.' });
    await app.tasks.edit(c.bert.actor, { taskId: t, version: 1, dueDate: '2026-01-30' });
    const reasons = async (id: string) => (await rowsOf(id)).map((n) => n.reason);
    expect(await reasons(c.anne.id)).toEqual(['assigned', 'replied', 'watcher']);
    expect(await reasons(c.admin.id)).toEqual(['replied', 'watcher']);
    expect(await reasons(c.bert.id)).toEqual([]);
    await app.tasks.complete(c.anne.actor, { taskId: t });
    expect((await rowsOf(c.admin.id)).map((n) => n.reason)).toEqual(['replied', 'watcher', 'watcher']);
    expect((await rowsOf(c.bert.id)).map((n) => [n.reason, n.inInbox])).toEqual([['participant', 0]]);
    // Opening the task reads everything it said, on every device.
    expect(await app.notifications.unread(c.admin.actor)).toBe(3);
    await app.tasks.open(c.admin.actor, { taskId: t });
    expect(await app.notifications.unread(c.admin.actor)).toBe(0);
    // A deleted task's notifications leave the inbox.
    expect((await app.notifications.inbox(c.anne.actor)).entries).toHaveLength(1);
    await app.tasks.remove(c.admin.actor, { taskId: t });
    expect((await app.notifications.inbox(c.anne.actor)).entries).toEqual([]);
  });

  it('reminders: the day before at the member’s hour, then once overdue; exactly once even when several processes tick', async () => {
    // Now: Thursday 15 January 10:00 UTC. Due Saturday 17 (a day).
    const t = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Rendre les clés', dueDate: '2026-01-17', assigneeIds: [c.bert.id] });
    await app.notifications.savePreferences(c.bert.actor, { reminderHour: 9 });
    expect(await app.tasks.scheduler.reminders()).toBe(0);
    app.clock.advance(22 * HOUR - 1); // Friday 07:59:59 UTC = 08:59:59 in Brussels
    expect(await app.tasks.scheduler.reminders()).toBe(0);
    app.clock.advance(1);
    const ticks = await Promise.all([app.tasks.scheduler.reminders(), app.tasks.scheduler.reminders(), app.tasks.scheduler.reminders()]);
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await app.tasks.scheduler.reminders()).toBe(0);
    const soon = (await rowsOf(c.bert.id)).filter((n) => n.reason === 'reminder');
    expect(soon).toHaveLength(1);
    const mail = (await mailsTo(c.bert.id)).find((m) => m.text.includes('Rappel'))!;
    expect(mail.subject).toContain('Rendre les clés');
    expect(actionLink(mail.text, 'done')?.taskId).toBe(t);
    // Overdue: the day has passed in Brussels, told at Bert's hour the next morning, once.
    app.clock.advance(24 * HOUR); // Saturday 09:00 in Brussels: not overdue yet
    expect(await app.tasks.scheduler.reminders()).toBe(0);
    app.clock.advance(24 * HOUR); // Sunday 09:00
    expect(await app.tasks.scheduler.reminders()).toBe(1);
    app.clock.advance(24 * HOUR);
    expect(await app.tasks.scheduler.reminders()).toBe(0);
    expect((await rowsOf(c.bert.id)).filter((n) => n.reason === 'reminder')).toHaveLength(2);
    // A new due date brings new reminders; done tasks get none.
    const v = (await app.tasks.get(c.anne.actor, { taskId: t })).version;
    // Now Monday 09:00 in Brussels: due Tuesday at noon, so "tomorrow" is due now.
    await app.tasks.edit(c.anne.actor, { taskId: t, version: v, dueDate: '2026-01-20', dueTime: '12:00' });
    expect(await app.tasks.scheduler.reminders()).toBe(1);
    await app.tasks.complete(c.anne.actor, { taskId: t });
    app.clock.advance(30 * HOUR);
    expect(await app.tasks.scheduler.reminders()).toBe(0);
    expect((await rowsOf(c.bert.id)).filter((n) => n.reason === 'reminder')).toHaveLength(3);
  });

  it('a reminder already sent is not sent again when the group changes its time zone', async () => {
    const t = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Rendre les clés', dueDate: '2026-01-17', assigneeIds: [c.bert.id] });
    await app.notifications.savePreferences(c.bert.actor, { reminderHour: 9 });
    app.clock.advance(22 * HOUR); // Friday 09:00 in Brussels: "due tomorrow"
    expect(await app.tasks.scheduler.reminders()).toBe(1);
    // The group moves to Lisbon: Saturday 17 is still the due day, stored as another instant.
    await app.tasks.setTimeZone(c.admin.actor, { groupSlug: c.g.slug, timeZone: 'Europe/Lisbon' });
    expect((await app.tasks.get(c.bert.actor, { taskId: t })).due?.date).toBe('2026-01-17');
    expect(await app.tasks.scheduler.reminders()).toBe(0);
    // And back again.
    await app.tasks.setTimeZone(c.admin.actor, { groupSlug: c.g.slug, timeZone: '' });
    expect(await app.tasks.scheduler.reminders()).toBe(0);
    expect((await rowsOf(c.bert.id)).filter((n) => n.reason === 'reminder')).toHaveLength(1);
  });

  it('a reminder mail’s "done" link asks first, works once, and only for its member', async () => {
    const t = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Payer le traiteur', dueDate: '2026-01-17', assigneeIds: [c.bert.id] });
    app.clock.advance(21 * HOUR); // Friday 08:00 in Brussels
    expect(await app.tasks.scheduler.reminders()).toBe(1);
    const mail = (await mailsTo(c.bert.id)).find((m) => m.text.includes('Rappel'))!;
    const link = actionLink(mail.text, 'done')!;
    // Opening the link changes nothing.
    expect(await app.tasks.mailActions.info(visitor, link)).toMatchObject({ state: 'valid', action: 'done', task: { id: t, done: false } });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).done).toBe(false);
    // Someone else signed in: refused.
    expect((await app.tasks.mailActions.info(c.anne.actor, link)).state).toBe('other_member');
    await expect(app.tasks.mailActions.perform(c.anne.actor, link)).rejects.toMatchObject({ kind: 'forbidden', code: 'link_other_member' });
    // Tampered links are unknown.
    await expect(app.tasks.mailActions.info(visitor, { ...link, action: 'take' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.tasks.mailActions.info(visitor, { ...link, token: link.token.replace(c.bert.id, c.anne.id) })).rejects.toMatchObject({ kind: 'not_found' });
    // Its member, without a session: done, once.
    await app.tasks.mailActions.perform(visitor, link);
    const view = await app.tasks.get(c.anne.actor, { taskId: t });
    expect(view.done).toBe(true);
    expect(view.column.isDone).toBe(true);
    await expect(app.tasks.mailActions.perform(c.bert.actor, link)).rejects.toMatchObject({ code: 'link_used' });
    expect((await app.tasks.mailActions.info(c.bert.actor, link)).state).toBe('used');
    // Thirty days later a link is too old.
    const other = await makeTask(app, c.anne.actor, c.g.slug, { assigneeIds: [c.bert.id] });
    const assigned = (await mailsTo(c.bert.id)).map((m) => actionLink(m.text, 'done')).find((l) => l?.taskId === other)!;
    app.clock.advance(31 * 24 * HOUR);
    expect((await app.tasks.mailActions.info(c.bert.actor, assigned)).state).toBe('expired');
    await expect(app.tasks.mailActions.perform(c.bert.actor, assigned)).rejects.toMatchObject({ code: 'link_expired' });
  });

  it('a member at the daily digest level gets the tasks that concern them in the digest, not at once', async () => {
    await app.email.saveSettings(c.anne.actor, { level: 'daily', digestHour: 8, digestWeekday: 1 });
    const t = await makeTask(app, c.bert.actor, c.g.slug, { title: 'Trier les bénévoles du marché', assigneeIds: [c.anne.id], dueDate: '2026-01-15' });
    await app.tasks.comment(c.bert.actor, { taskId: t, body: 'La liste est dans le dossier partagé.' });
    const other = await makeTask(app, c.bert.actor, c.g.slug, { title: 'Pas pour Anne' });
    void other;
    expect(await mailsTo(c.anne.id)).toEqual([]);
    app.clock.advance(21 * HOUR + 60_000); // Friday 08:01 in Brussels
    expect(await app.email.digests.scheduleDue()).toBe(1);
    await app.jobs.runDue();
    const digest = (await mailsTo(c.anne.id)).find((m) => m.messageId.startsWith('<digest-'))!;
    expect(digest.text).toContain('Trier les bénévoles du marché');
    expect(digest.text).toContain(`/tasks/${t}`);
    expect(digest.text).not.toContain('Pas pour Anne');
  });

  it('recurring tasks: the next occurrence when done or when its date comes, never twice', async () => {
    const [todo, , done] = await columnsOf(app, c.anne.actor, c.g.slug);
    // Weekly, due Friday 16 January: done on Thursday → next Friday 23, in the first column, same assignee and checklist.
    const t = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Arroser les plantes', dueDate: '2026-01-16', recurrence: 'weekly', assigneeIds: [c.bert.id] });
    await app.tasks.addChecklist(c.anne.actor, { taskId: t, text: 'Bac 1\nBac 2' });
    await app.tasks.move(c.bert.actor, { taskId: t, version: 1, columnId: done.id, position: 0 });
    const series = await app.db.selectFrom('tasks').selectAll().where('seriesId', '=', t).orderBy('dueAt').execute();
    expect(series.map((s) => [s.dueAt, s.columnId, s.checklistCount])).toEqual([
      ['2026-01-15T23:00:00.000Z', done.id, 2],
      ['2026-01-22T23:00:00.000Z', todo.id, 2],
    ]);
    const next = series[1].id;
    expect((await app.tasks.get(c.bert.actor, { taskId: next })).assignees.map((a) => a.id)).toEqual([c.bert.id]);
    // Reopened and done again: still one next occurrence.
    const v = (await app.tasks.get(c.bert.actor, { taskId: t })).version;
    await app.tasks.move(c.bert.actor, { taskId: t, version: v, columnId: todo.id, position: 0 });
    await app.tasks.complete(c.bert.actor, { taskId: t });
    expect(await app.db.selectFrom('tasks').select('id').where('seriesId', '=', t).execute()).toHaveLength(2);
    // Monthly on the 15th at 09:00 (past at 10:00): the scheduler makes the next one, once, whatever the processes.
    const m = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Relevé des compteurs', dueDate: '2026-01-15', dueTime: '09:00', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=15' });
    const made = await Promise.all([app.tasks.scheduler.recurrences(), app.tasks.scheduler.recurrences()]);
    // The weekly one's next (due the 23rd) is not due yet: only the monthly one comes.
    expect(made.reduce((a, b) => a + b, 0)).toBe(1);
    const monthly = await app.db.selectFrom('tasks').select(['dueAt']).where('seriesId', '=', m).orderBy('dueAt').execute();
    expect(monthly.map((x) => x.dueAt)).toEqual(['2026-01-15T08:00:00.000Z', '2026-02-15T08:00:00.000Z']);
    expect(await app.tasks.scheduler.recurrences()).toBe(0);
  });
});
