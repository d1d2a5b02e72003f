import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeInstance, makeUser } from '../../../../../tests/support/accounts-factories';
import { FileMailTransport } from '../../adapters/mail/mail-transport';
import { linkParts } from './outbox';

describe.each(engines)('%s: outbox page', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
    await makeInstance(app);
  });
  afterEach(async () => app.cleanup());

  it('lists the .eml files newest first and shows one with its links', async () => {
    const root = await makeUser(app, { isAdmin: true });
    const files = new FileMailTransport(path.join(app.config.dataDir, 'mail'));
    await files.send({ to: 'a@example.org', subject: 'First', text: 'hello', messageId: '<1@localhost>' }, 'Ruche <noreply@localhost>');
    await new Promise((r) => setTimeout(r, 20));
    await files.send({ to: 'b@example.org', subject: 'Votre lien', text: 'Ouvrez http://localhost:3000/magic/abc123 vite.', messageId: '<2@localhost>' }, 'Ruche <noreply@localhost>');
    const list = await app.instance.listOutbox(root.actor);
    expect(list.map((m) => [m.to, m.subject])).toEqual([['b@example.org', 'Votre lien'], ['a@example.org', 'First']]);
    const m = await app.instance.readOutbox(root.actor, { id: list[0].id });
    expect(m.parts.slice(0, 2)).toEqual([{ text: 'Ouvrez ' }, { url: 'http://localhost:3000/magic/abc123' }]);
    expect(m.parts[2]).toMatchObject({ text: expect.stringMatching(/^ vite\.\s*$/) });
    await expect(app.instance.readOutbox(root.actor, { id: '../../etc/passwd' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.instance.readOutbox(root.actor, { id: 'missing' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('linkParts', () => {
  it('keeps text without links whole', () => expect(linkParts('no links')).toEqual([{ text: 'no links' }]));
});
