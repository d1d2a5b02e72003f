import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { actorOf, makeCircle } from '../../../../../tests/support/discussions-factories';

const DAY = 86_400_000;
const png = () => sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } }).png().toBuffer();
const pdf = (name = 'notes.pdf') => new File(['%PDF-1.4 minutes'], name, { type: 'application/pdf' });
const exe = () => new File(['MZ....'], 'run.exe', { type: 'application/x-msdownload' });

describe.each(engines)('uploads nothing references on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  let filesDir: string;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'open');
    filesDir = path.join(app.config.dataDir, 'files');
  });
  afterEach(() => app.cleanup());

  const rows = async () => (await app.db.selectFrom('files').select(['id', 'purpose', 'discussionId', 'chatMessageId']).orderBy('id').execute()).map((r) => r.id);
  const stored = () => (fs.existsSync(filesDir) ? fs.readdirSync(filesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : []);

  it('a post refused after its files were stored leaves neither rows nor bytes', async () => {
    // The second file is refused: the first, already stored, goes too.
    await expect(app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Minutes', body: 'x', files: [pdf(), exe()] })).rejects.toMatchObject({ issues: [{ path: 'files', code: 'file_type' }] });
    // The files are fine but the post is not (an unknown pre-uploaded file id).
    await expect(
      app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Minutes', body: 'x', files: [pdf(), new File([new Uint8Array(await png())], 'p.png', { type: 'image/png' })], fileIds: ['0190a0a0-0000-7000-8000-000000000000'] }),
    ).rejects.toMatchObject({ issues: [{ code: 'file_unknown' }] });
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Ok', body: 'x' });
    await expect(app.discussions.reply(c.anne.actor, { discussionId: d.id, body: '\u200b', files: [pdf()] })).rejects.toMatchObject({ issues: [{ path: 'body', code: 'blank' }] });
    await expect(app.discussions.reply(c.outsider.actor, { discussionId: d.id, body: 'hello', files: [pdf()] })).rejects.toMatchObject({ kind: 'forbidden' });
    const { room } = await app.chat.groupChat(c.anne.actor, { slug: c.g.slug });
    await expect(app.chat.send(c.anne.actor, { roomId: room.id, key: 'chat-key-001', body: 'x', files: [pdf(), exe()] })).rejects.toMatchObject({ issues: [{ path: 'files' }] });
    expect(await rows()).toEqual([]);
    expect(stored()).toEqual([]);
  });

  it('a post sent twice keeps the first post’s files and drops the repeat’s', async () => {
    const first = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Photos', body: 'x', files: [pdf('a.pdf')], key: 'photos-key-01' });
    await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Photos', body: 'x', files: [pdf('a.pdf')], key: 'photos-key-01' });
    const all = await app.db.selectFrom('files').select(['id', 'discussionId']).execute();
    expect(all).toEqual([{ id: first.files[0].id, discussionId: first.id }]);
    expect(stored()).toHaveLength(1);
  });

  it('the sweep removes, after a day, uploads nothing references, with their bytes; and stray bytes', async () => {
    const anne = c.anne.actor;
    const loose = await app.files.upload(anne, { file: pdf('loose.pdf'), purpose: 'attachment' });
    const image = await app.files.upload(anne, { file: new File([new Uint8Array(await png())], 'p.png', { type: 'image/png' }), purpose: 'attachment' });
    const kept = await app.discussions.create(anne, { groupSlug: c.g.slug, title: 'Kept', body: 'x', files: [pdf('kept.pdf')] });
    const { room } = await app.chat.groupChat(anne, { slug: c.g.slug });
    const chat = await app.chat.send(anne, { roomId: room.id, key: 'chat-key-002', body: '', files: [pdf('chat.pdf')] });
    const oldAvatar = await app.files.upload(anne, { file: new File([new Uint8Array(await png())], 'me.png', { type: 'image/png' }), purpose: 'avatar' });
    await app.accounts.setAvatar(anne, { fileId: oldAvatar.id });
    const avatar = await app.files.upload(anne, { file: new File([new Uint8Array(await png())], 'me2.png', { type: 'image/png' }), purpose: 'avatar' });
    await app.accounts.setAvatar(anne, { fileId: avatar.id });
    await app.groups.setCover(c.admin.actor, c.g.slug, new File([new Uint8Array(await png())], 'cover.png', { type: 'image/png' }));
    // Bytes without a row (a crash between writing and recording), and a temporary file.
    const stray = path.join(filesDir, 'zz', '0190a0a0-0000-7000-8000-0000000000zz');
    fs.mkdirSync(path.dirname(stray), { recursive: true });
    fs.writeFileSync(stray, 'lost');
    fs.writeFileSync(`${stray}.123.tmp`, 'half');
    const old = new Date(app.clock.now().getTime() - 3 * DAY);
    for (const p of [stray, `${stray}.123.tmp`]) fs.utimesSync(p, old, old);
    const before = await rows();
    expect(before).toHaveLength(7);

    // Within the day no upload goes (one may come before its post); old stray bytes do.
    app.clock.advance(DAY - 60_000);
    expect(await app.files.sweep()).toEqual({ rows: 0, strays: 2 });
    app.clock.advance(2 * 60_000);
    expect(await app.files.sweep()).toEqual({ rows: 3, strays: 0 });
    const after = await rows();
    expect(after.sort()).toEqual([kept.files[0].id, chat.message.files[0].id, avatar.id, (await app.db.selectFrom('groups').select('coverFileId').where('id', '=', c.g.id).executeTakeFirstOrThrow()).coverFileId].sort());
    expect(after).not.toContain(loose.id);
    expect(after).not.toContain(image.id);
    expect(after).not.toContain(oldAvatar.id);
    // The bytes of what went are gone (original and preview); those of what stays are there.
    const names = stored();
    for (const id of [loose.id, image.id, oldAvatar.id]) expect(names.some((n) => n.startsWith(id))).toBe(false);
    for (const id of after) expect(names.some((n) => n.startsWith(id!))).toBe(true);
    expect(fs.existsSync(stray)).toBe(false);
    expect(fs.existsSync(`${stray}.123.tmp`)).toBe(false);
    // What stays is still served.
    expect((await app.files.open(await actorOf(app, c.bert.id), kept.files[0].id, 'original')).name).toBe('kept.pdf');
  });

  it('runs as one durable job an hour, enqueued by any number of processes', async () => {
    await app.files.upload(c.anne.actor, { file: pdf('loose.pdf'), purpose: 'attachment' });
    app.clock.advance(DAY + 1000);
    expect(await app.maintenance.scheduleSweep()).toBe(true);
    expect(await app.maintenance.scheduleSweep()).toBe(false);
    expect(await app.jobs.runDue()).toBe(1);
    expect(await rows()).toEqual([]);
    const jobs = await app.db.selectFrom('jobs').select(['kind', 'doneAt', 'lastError']).where('kind', '=', 'maintenance.sweep').execute();
    expect(jobs).toEqual([{ kind: 'maintenance.sweep', doneAt: expect.any(String), lastError: null }]);
    app.clock.advance(3_600_000);
    expect(await app.maintenance.scheduleSweep()).toBe(true);
  });
});
