import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { insertUser } from '../accounts/users';
import type { Actor } from '../../policy';
import type { UserId } from '../../kernel/ids';

const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#c60' } }).png().toBuffer();
const asFile = (buf: Buffer | string, name: string, type: string) => new File([typeof buf === 'string' ? buf : new Uint8Array(buf)], name, { type });

describe.each(engines)('files on %s', (engine) => {
  let app: TestApp;
  let anne: Actor;
  let bob: Actor;
  beforeEach(async () => {
    app = await createTestApp(engine);
    const mk = async (email: string, name: string): Promise<Actor> => {
      const u = await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email, name }));
      return { kind: 'user', userId: u.id as UserId, isAdmin: false, roles: new Map() };
    };
    anne = await mk('anne@example.org', 'Anne');
    bob = await mk('bob@example.org', 'Bob');
  });
  afterEach(() => app.cleanup());

  it('resizes an avatar to a 256 px WebP square', async () => {
    const v = await app.files.upload(anne, { file: asFile(await png(900, 600), 'me.png', 'image/png'), purpose: 'avatar' });
    expect(v).toMatchObject({ mime: 'image/webp', width: 256, height: 256, isImage: true });
    const f = await app.files.open(bob, v.id, 'original');
    const meta = await sharp(f.path).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
    await expect(app.files.open({ kind: 'visitor' }, v.id, 'original')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refuses a fake image, an unknown type and an oversize file, writing nothing', async () => {
    await expect(app.files.upload(anne, { file: asFile('not an image', 'x.png', 'image/png'), purpose: 'avatar' })).rejects.toMatchObject({ kind: 'invalid', issues: [{ code: 'file_type' }] });
    await expect(app.files.upload(anne, { file: asFile('MZ...', 'x.exe', 'application/x-msdownload'), purpose: 'attachment' })).rejects.toMatchObject({ issues: [{ code: 'file_type' }] });
    const big = Buffer.alloc(app.config.maxUploadBytes + 1, 1);
    await expect(app.files.upload(anne, { file: asFile(big, 'big.pdf', 'application/pdf'), purpose: 'attachment' })).rejects.toMatchObject({ issues: [{ code: 'file_too_big' }] });
    expect(await app.db.selectFrom('files').select('id').execute()).toHaveLength(0);
  });

  it('keeps an unlinked attachment private to its owner and previews images', async () => {
    const pdf = await app.files.upload(anne, { file: asFile('%PDF-1.4 minutes', 'pv.pdf', 'application/pdf'), purpose: 'attachment' });
    expect(pdf).toMatchObject({ mime: 'application/pdf', isImage: false, previewUrl: null });
    expect((await app.files.open(anne, pdf.id, 'original')).name).toBe('pv.pdf');
    await expect(app.files.open(bob, pdf.id, 'original')).rejects.toMatchObject({ kind: 'not_found' });
    const img = await app.files.upload(anne, { file: asFile(await png(2000, 1000), 'photo.png', 'image/png'), purpose: 'attachment' });
    expect(img.previewUrl).toBe(`/files/${img.id}/preview`);
    const prev = await sharp((await app.files.open(anne, img.id, 'preview')).path).metadata();
    expect([prev.width, prev.height]).toEqual([800, 400]);
  });
});
