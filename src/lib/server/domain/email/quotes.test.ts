import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { replyBody, stripReply } from './quotes';

const dir = path.resolve('tests/fixtures/mail');
/** What the member wrote, for each real-world reply format in the corpus. */
const expected: Record<string, string> = {
  'gmail-en': "I'll bring a quiche and some lemonade.\n\nSee you Saturday!",
  'gmail-fr': 'Je peux apporter une quiche.',
  'gmail-nl': 'Ik breng soep mee.',
  'gmail-html-only-fr': 'Parfait, à samedi !',
  'outlook-en': 'Count me in for the setup at 9.\n\nAnne',
  'outlook-fr': "D'accord pour samedi, je viens à 9 h.\n\nAnne Peeters\nTrésorière",
  'outlook-nl': 'Ik kan helpen met de kassa.',
  'thunderbird-en': 'I have two spare chairs.',
  'thunderbird-fr': "Je m'occupe des affiches.",
  'thunderbird-nl': 'Ik neem de koffie mee.',
  'apple-en': "Yes, I'll be there.",
  'apple-fr': 'Oui, je serai là.',
  'apple-nl': 'Ja, ik kom.',
  'apple-html-only': 'Great idea, thanks!\n\nAnne',
};

describe('quote and signature stripping (corpus of client formats)', () => {
  it('covers every fixture', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => f.replace(/\.eml$/, ''));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [name, want] of Object.entries(expected)) {
    it(name, async () => {
      const mail = await simpleParser(fs.readFileSync(path.join(dir, `${name}.eml`)));
      // HTML-only mails: use our own cut of the HTML, not mailparser's generated text.
      const hasText = !/^Content-Type: text\/html/im.test(fs.readFileSync(path.join(dir, `${name}.eml`), 'utf8').split('\r\n\r\n')[0]);
      expect(replyBody({ text: hasText ? mail.text : null, html: mail.html || null })).toBe(want);
    });
  }
  it('keeps a message without quotes whole, and inline "On" sentences', () => {
    expect(stripReply('On Saturday we meet at 9.\nBring gloves.')).toBe('On Saturday we meet at 9.\nBring gloves.');
  });
});
