import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../../tests/support/app';
import { makeUser } from '../../../../../tests/support/groups-factories';
import { pendingMails } from '../../../../../tests/support/email-factories';
import { renderSimpleMail } from '../../adapters/mail/render';
import { renderMail } from './mail-render';

const NBSP = '\u00a0';

describe('mail texts', () => {
  it('put a no-break space before the colon of a label in French, not in English or Dutch', () => {
    const fr = renderSimpleMail({ locale: 'fr', heading: 'Connexion', paragraphs: ['Bonjour'], action: { label: 'Se connecter', url: 'https://x.org/m/1' } });
    expect(fr.text).toContain(`Se connecter${NBSP}:\nhttps://x.org/m/1`);
    const en = renderSimpleMail({ locale: 'en', heading: 'Log in', paragraphs: ['Hello'], action: { label: 'Log in', url: 'https://x.org/m/1' } });
    expect(en.text).toContain('Log in:\nhttps://x.org/m/1');
    const feature = renderMail({ locale: 'fr', title: 't', blocks: [{ kind: 'action', label: 'Ouvrir la discussion', url: 'https://x.org/d/1' }], footer: { text: 'Pied', links: [{ label: 'Réglages', url: 'https://x.org/s' }] } });
    expect(feature.text).toContain(`Ouvrir la discussion${NBSP}: https://x.org/d/1`);
    expect(feature.text).toContain(`Réglages${NBSP}: https://x.org/s`);
    expect(renderMail({ locale: 'nl', title: 't', blocks: [], footer: { text: 'Voet', links: [{ label: 'Instellingen', url: 'https://x.org/s' }] } }).text).toContain('Instellingen: https://x.org/s');
  });

  it('write a footer link whose label is its address once', () => {
    const m = renderMail({ locale: 'en', title: 't', blocks: [], footer: { text: 'Automatic answer.', links: [{ label: 'https://x.org', url: 'https://x.org' }] } });
    expect(m.text.split('\n').slice(-2)).toEqual(['Automatic answer.', 'https://x.org']);
  });
});

describe('the bounce mail', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('sqlite', { MAIL_DOMAIN: 'ruche.test' });
  });
  afterAll(async () => app?.cleanup());

  it('ends with the site address once, and in French with French spacing', async () => {
    await makeUser(app, { name: 'Anne', email: 'anne@example.org', locale: 'fr' });
    // An authenticated sender (SPF and DMARC pass): only such a sender gets an answer.
    const auth = { from: true, envelope: true, fromAddress: 'anne@example.org', summary: 'dmarc=pass' };
    await app.email.receive({ envelopeFrom: 'anne@example.org', recipient: 'nowhere@ruche.test', from: 'anne@example.org', subject: 'Bonjour', messageId: '<m1@example.org>', text: 'Bonjour à tous', html: null, headers: {}, contentType: 'text/plain', attachments: [], auth, raw: Buffer.from('') });
    const bounce = (await pendingMails(app)).find((m) => m.to === 'anne@example.org' && m.messageId.startsWith('<bounce-'))!;
    expect(bounce.subject).toBe(`Votre message n’a pas pu être publié${NBSP}: Bonjour`);
    const lines = bounce.text.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('http://localhost:3000'))).toEqual(['http://localhost:3000']);
    // Nothing of the sender's text is quoted back, only the subject.
    expect(bounce.text).not.toContain('Bonjour à tous');
    expect(bounce.text).not.toMatch(/ [:;!?]/);
  });
});
