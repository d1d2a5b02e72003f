import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeCircle, makeUser, addMember, actorOf } from '../../../../../tests/support/discussions-factories';
import { pendingMails } from '../../../../../tests/support/email-factories';
import { quietUntil } from './pipeline';
import { MERGE_WINDOW_MS } from '../email/channel';

describe('quiet hours', () => {
  it('hold until the local end, across midnight and daylight saving time', () => {
    // 23:30 in Brussels in winter (22:30 UTC), quiet 22 → 7: until 07:00 local = 06:00 UTC.
    expect(quietUntil(new Date('2026-01-15T22:30:00Z'), 'Europe/Brussels', 22, 7)?.toISOString()).toBe('2026-01-16T06:00:00.000Z');
    // Same local time in summer: 07:00 local is 05:00 UTC.
    expect(quietUntil(new Date('2026-07-15T21:30:00Z'), 'Europe/Brussels', 22, 7)?.toISOString()).toBe('2026-07-16T05:00:00.000Z');
    // The night the clocks go forward (29 March 2026, 02:00 → 03:00): 01:30 local, quiet until 07:00 local (05:00 UTC).
    expect(quietUntil(new Date('2026-03-29T00:30:00Z'), 'Europe/Brussels', 22, 7)?.toISOString()).toBe('2026-03-29T05:00:00.000Z');
    // Outside quiet hours, or none set.
    expect(quietUntil(new Date('2026-01-15T12:00:00Z'), 'Europe/Brussels', 22, 7)).toBeNull();
    expect(quietUntil(new Date('2026-01-15T12:00:00Z'), 'Europe/Brussels', null, null)).toBeNull();
    // A daytime range (13 → 14, no wrap), in New York.
    expect(quietUntil(new Date('2026-01-15T18:15:00Z'), 'America/New_York', 13, 14)?.toISOString()).toBe('2026-01-15T19:00:00.000Z');
  });
});

describe.each(engines)('%s: the notification pipeline', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(() => app.cleanup());

  const rowsOf = (userId: string) => app.db.selectFrom('notifications').selectAll().where('userId', '=', userId).orderBy('createdAt').execute();
  const mailsTo = async (userId: string) => {
    const u = await app.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow();
    return (await pendingMails(app)).filter((m) => m.to === u.email);
  };

  it('tells each member once, for their strongest reason, never the author, never who may not read', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Stand rota', body: 'Who takes Saturday?' });
    // Bert replies mentioning Anne (the author: "replied" and "mentioned" → mentioned) and the outsider (not a member).
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.anne.handle} I can, and @${c.outsider.handle}?` });
    const anne = await rowsOf(c.anne.id);
    expect(anne.map((n) => n.reason)).toEqual(['mentioned']);
    expect(anne[0].inInbox).toBe(1);
    expect(await rowsOf(c.outsider.id)).toEqual([]);
    expect(await rowsOf(c.bert.id)).toEqual([]);
    // The author of the reply took part; the admin did not and wants no group mail: nothing for them.
    expect(await rowsOf(c.admin.id)).toEqual([]);
    expect(await app.notifications.unread(c.anne.actor)).toBe(1);
  });

  it('follows each member’s choices per reason and channel', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Flyers', body: 'Draft attached' });
    await app.notifications.savePreferences(c.anne.actor, { choices: { replied: { inbox: 'off', email: 'off', push: 'off' } } });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'Looks good' });
    expect(await rowsOf(c.anne.id)).toEqual([]);
    expect(await mailsTo(c.anne.id)).toEqual([]);
    // Mentions stay on by default: inbox and mail at once.
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.anne.handle} print 200?` });
    expect((await rowsOf(c.anne.id)).map((n) => [n.reason, n.inInbox, n.mailState])).toEqual([['mentioned', 1, 'sent']]);
    expect(await mailsTo(c.anne.id)).toHaveLength(1);
    // Mail off for mentions: inbox only.
    await app.notifications.savePreferences(c.anne.actor, { choices: { mentioned: { email: 'off' } } });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.anne.handle} or 300?` });
    expect(await mailsTo(c.anne.id)).toHaveLength(1);
    expect(await app.notifications.unread(c.anne.actor)).toBe(2);
    await expect(app.notifications.savePreferences(c.anne.actor, { choices: { mentioned: { email: 'loud' } } })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(app.notifications.savePreferences(c.anne.actor, { quietFrom: '22' })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('re-checks the policy as each recipient: a member who left is no longer told, and their inbox hides the old notices', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Budget', body: 'Numbers' });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.anne.handle} ok?` });
    expect(await app.notifications.unread(c.anne.actor)).toBe(1);
    await app.groups.leave(c.anne.actor, c.g.slug);
    const gone = await actorOf(app, c.anne.id);
    // A closed group she left: the old mention is not shown, and the count follows.
    const inbox = await app.notifications.inbox(gone);
    expect(inbox.entries).toEqual([]);
    expect(inbox.unread).toBe(0);
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.anne.handle} still there?` });
    expect((await rowsOf(c.anne.id)).length).toBe(1);
  });

  it('groups the inbox by discussion, marks read when the discussion is opened, and on every read path', async () => {
    const d1 = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'One', body: '…' });
    const d2 = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Two', body: '…' });
    await app.discussions.reply(c.bert.actor, { discussionId: d1.id, body: 'a' });
    await app.discussions.reply(c.admin.actor, { discussionId: d1.id, body: 'b' });
    app.clock.advance(1000);
    await app.discussions.reply(c.bert.actor, { discussionId: d2.id, body: 'c' });
    const inbox = await app.notifications.inbox(c.anne.actor);
    expect(inbox.unread).toBe(3);
    expect(inbox.entries.map((e) => [e.latest.title, e.count, e.unread, e.actors.length])).toEqual([
      ['Two', 1, 1, 1],
      ['One', 2, 2, 2],
    ]);
    expect(inbox.entries[1].latest.reason).toBe('replied');
    await app.discussions.open(c.anne.actor, { discussionId: d1.id });
    expect(await app.notifications.unread(c.anne.actor)).toBe(1);
    const opened = await app.notifications.open(c.anne.actor, { id: inbox.entries[0].latest.id });
    expect(opened.url).toMatch(new RegExp(`^/d/${d2.id}\\?comment=`));
    expect(await app.notifications.unread(c.anne.actor)).toBe(0);
    // Someone else's notification is not found.
    await expect(app.notifications.open(c.bert.actor, { id: inbox.entries[1].latest.id })).rejects.toMatchObject({ kind: 'not_found' });
    await app.discussions.reply(c.bert.actor, { discussionId: d2.id, body: 'd' });
    expect((await app.notifications.markRead(c.anne.actor, { all: true })).unread).toBe(0);
    expect((await app.notifications.inbox(c.anne.actor, { unread: '1' })).entries).toEqual([]);
  });

  it('merges a burst of replies into one mail per recipient, without delaying mentions', async () => {
    await app.email.saveSettings(c.anne.actor, { level: 'all', digestHour: 8, digestWeekday: 1 });
    const d = await app.discussions.create(c.bert.actor, { groupSlug: c.g.slug, title: 'Burst', body: 'Go' });
    const first = await app.discussions.reply(c.admin.actor, { discussionId: d.id, body: 'one' });
    for (const body of ['two', 'three', 'four']) {
      app.clock.advance(20_000);
      await app.discussions.reply(c.admin.actor, { discussionId: d.id, body });
    }
    app.clock.advance(20_000);
    await app.discussions.reply(c.admin.actor, { discussionId: d.id, body: `@${c.anne.handle} five` });
    let mails = await mailsTo(c.anne.id);
    // The new discussion, the first reply (at once), the mention (at once); the rest waits.
    expect(mails.map((m) => m.messageId)).toEqual([`<d-${d.id}@localhost>`, `<c-${first.id}@localhost>`, expect.stringMatching(/^<c-/)]);
    expect(mails[2].text).toContain('five');
    app.clock.advance(MERGE_WINDOW_MS);
    await app.jobs.runDue();
    await app.jobs.runDue();
    const anneEmail = (await app.db.selectFrom('users').select('email').where('id', '=', c.anne.id).executeTakeFirstOrThrow()).email;
    const sent = () => app.mailbox.sent.filter((m) => m.to === anneEmail);
    expect(sent()).toHaveLength(4);
    const merged = sent()[3];
    expect(merged.subject).toBe(`Re: [${(await app.db.selectFrom('groups').select('name').where('id', '=', c.g.id).executeTakeFirstOrThrow()).name}] Burst`);
    expect(merged.headers?.['In-Reply-To']).toBe(`<d-${d.id}@localhost>`);
    for (const w of ['two', 'three', 'four']) expect(merged.text).toContain(w);
    expect(merged.text).toContain('3 nouveaux messages');
    // Nothing waits any more; a reply much later leaves at once again.
    app.clock.advance(2 * MERGE_WINDOW_MS);
    await app.discussions.reply(c.admin.actor, { discussionId: d.id, body: 'later' });
    await app.jobs.runDue();
    expect(sent()).toHaveLength(5);
    expect(sent()[4].text).toContain('later');
  });

  it('drops from a merged mail what was read meanwhile', async () => {
    await app.email.saveSettings(c.anne.actor, { level: 'all', digestHour: 8, digestWeekday: 1 });
    const d = await app.discussions.create(c.bert.actor, { groupSlug: c.g.slug, title: 'Read it', body: 'Go' });
    await app.discussions.reply(c.admin.actor, { discussionId: d.id, body: 'one' });
    app.clock.advance(10_000);
    await app.discussions.reply(c.admin.actor, { discussionId: d.id, body: 'two' });
    // Anne's every-message notifications are not in her inbox; she reads them on the page.
    await app.notifications.markRead(c.anne.actor, { subjectId: d.id });
    app.clock.advance(MERGE_WINDOW_MS);
    await app.jobs.runDue();
    await app.jobs.runDue();
    const anneEmail = (await app.db.selectFrom('users').select('email').where('id', '=', c.anne.id).executeTakeFirstOrThrow()).email;
    const texts = app.mailbox.sent.filter((m) => m.to === anneEmail).map((m) => m.text).join();
    expect(texts).toContain('one');
    expect(texts).not.toContain('two');
    // Bert, who started it and did not read, gets the reply that waited.
    expect(app.mailbox.sent.filter((m) => m.to !== anneEmail).map((m) => m.text).join()).toContain('two');
  });

  it('holds mail during quiet hours, in the member’s time zone', async () => {
    // 2026-01-15 10:00 UTC is 11:00 in Brussels: quiet from 10 to 12.
    await app.notifications.savePreferences(c.anne.actor, { quietFrom: '10', quietTo: '12' });
    await app.discussions.create(c.bert.actor, { groupSlug: c.g.slug, title: 'Shh', body: `@${c.anne.handle}` });
    const job = await app.db.selectFrom('jobs').select(['runAt', 'payload']).where('kind', '=', 'mail.send').execute();
    const mine = job.filter((j) => JSON.parse(j.payload).to.startsWith('m'));
    expect(mine.map((j) => j.runAt)).toContain('2026-01-15T11:00:00.000Z');
    // The inbox is not held.
    expect(await app.notifications.unread(c.anne.actor)).toBe(1);
  });

  it('keeps notices in line with edits: no inbox line shows replaced text', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Old title', body: 'Start' });
    const r = await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.anne.handle} first wording` });
    await app.discussions.editComment(c.bert.actor, { commentId: r.id, body: `@${c.anne.handle} second wording` });
    await app.discussions.edit(c.anne.actor, { discussionId: d.id, title: 'New title', body: 'Start' });
    const [line] = (await app.notifications.inbox(c.anne.actor)).entries;
    expect(line.latest.excerpt).toContain('second wording');
    expect(JSON.stringify(line)).not.toContain('first wording');
    expect(line.latest.title).toBe('New title');
    expect(line.latest.summary.params.title).toBe('New title');
    // A deleted reply takes its notification out of the inbox.
    await app.discussions.removeComment(c.bert.actor, { commentId: r.id });
    expect((await app.notifications.inbox(c.anne.actor)).entries).toEqual([]);
  });

  it('tells group admins of a request to join and clears it for all once one decides', async () => {
    const g = await app.db.selectFrom('groups').select('slug').where('id', '=', c.g.id).executeTakeFirstOrThrow();
    const second = await makeUser(app, { name: 'Second Admin' });
    await addMember(app, c.g.id, second.id, 'admin');
    const r = await app.groups.requestJoin(c.outsider.actor, g.slug, { message: 'Hello' });
    const adminInbox = await app.notifications.inbox(c.admin.actor);
    expect(adminInbox.entries.map((e) => [e.subjectKind, e.latest.reason, e.latest.url])).toEqual([['join_request', 'admin', `/groups/${g.slug}/requests`]]);
    expect(await app.notifications.unread(await actorOf(app, second.id))).toBe(1);
    // Members who do not manage the group are not told.
    expect(await app.notifications.unread(c.anne.actor)).toBe(0);
    await app.groups.decide(c.admin.actor, g.slug, { requestId: r.id, decision: 'approve' });
    expect(await app.notifications.unread(await actorOf(app, second.id))).toBe(0);
    const requester = await actorOf(app, c.outsider.id);
    const mine = await app.notifications.inbox(requester);
    expect(mine.entries.map((e) => e.latest.summary.key)).toEqual(['notify.join_approved']);
  });

  it('an invitation by email to a member’s own address waits in their inbox, opens for them only, and joins', async () => {
    const g = await app.db.selectFrom('groups').select(['slug', 'name']).where('id', '=', c.g.id).executeTakeFirstOrThrow();
    const email = (await app.db.selectFrom('users').select('email').where('id', '=', c.outsider.id).executeTakeFirstOrThrow()).email;
    await app.groups.invitations.inviteByEmail(c.admin.actor, g.slug, { emails: email, role: 'member', days: 7 });
    const [line] = (await app.notifications.inbox(c.outsider.actor)).entries;
    expect(line).toMatchObject({ subjectKind: 'invitation', latest: { reason: 'invited', summary: { key: 'notify.invited' } } });
    const id = line.subjectId;
    // Only the invitation mail itself goes by mail (no second mail from the inbox).
    expect((await pendingMails(app)).filter((m) => m.to === email)).toHaveLength(1);
    await expect(app.groups.invitations.previewMine(c.anne.actor, { id })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.groups.invitations.acceptMine(c.anne.actor, { id })).rejects.toMatchObject({ kind: 'not_found' });
    expect((await app.groups.invitations.previewMine(c.outsider.actor, { id })).group?.name).toBe(g.name);
    expect(await app.groups.invitations.acceptMine(c.outsider.actor, { id })).toEqual({ groupSlug: g.slug });
    // Used: the line leaves the inbox.
    expect((await app.notifications.inbox(await actorOf(app, c.outsider.id))).entries).toEqual([]);
  });

  it('tells participants of a direct conversation, and reading the room clears it', async () => {
    const { roomId } = await app.chat.openDirect(c.anne.actor, { handles: [c.bert.handle] });
    await app.chat.send(c.anne.actor, { roomId, key: 'key-00001', body: 'Coffee tomorrow?' });
    const inbox = await app.notifications.inbox(c.bert.actor);
    expect(inbox.entries.map((e) => [e.subjectKind, e.latest.reason])).toEqual([['chat', 'direct']]);
    expect(await mailsTo(c.bert.id)).toHaveLength(1);
    // The outsider never hears of it; the sender neither.
    expect(await rowsOf(c.outsider.id)).toEqual([]);
    expect(await rowsOf(c.anne.id)).toEqual([]);
    const page = await app.chat.roomPage(c.bert.actor, { roomId });
    expect(page.messages).toHaveLength(1);
    expect(await app.notifications.unread(c.bert.actor)).toBe(0);
  });
});
