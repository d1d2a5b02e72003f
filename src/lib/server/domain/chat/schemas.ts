import { z } from 'zod';
import { fields, idempotencyKey, shows, text, visibleText } from '../../kernel/validate';

/** Chat inputs, shared by pages, the JSON API and WebSocket frames. Messages are i18n codes. */
export const MAX_MESSAGE_CHARS = 10_000;

const id = fields.uuid;
const seq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const messageBody = visibleText(1, MAX_MESSAGE_CHARS, { max: 'message_too_long' });
/** One emoji (with its modifiers and joiners), not arbitrary text. */
export const emoji = text()
  .max(16, 'bad_emoji')
  .regex(/^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Emoji_Component}\u200d\ufe0f]+$/u, 'bad_emoji');

export const RoomInput = z.object({ roomId: id });
export const GroupRoomInput = z.object({ slug: text().min(1, 'not_found').max(100, 'not_found') });
export const SendInput = z.object({
  roomId: id,
  /** Chosen by the sender's client; a resend with the same key returns the first message. */
  key: text().min(8, 'bad_key').max(64, 'bad_key').regex(/^[A-Za-z0-9_-]+$/, 'bad_key'),
  /** May be empty when files come with the message. */
  body: text().trim().max(MAX_MESSAGE_CHARS, 'message_too_long').refine(shows, 'blank').default(''),
  parentId: id.nullish(),
  /** Files picked in the form (uploaded and attached by the service). */
  files: z
    .unknown()
    .optional()
    .transform((v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).filter((f): f is Blob => typeof Blob !== 'undefined' && f instanceof Blob && f.size > 0)),
});
export const EditInput = z.object({ messageId: id, body: messageBody });
export const MessageInput = z.object({ messageId: id });
export const ReactInput = z.object({ messageId: id, emoji, on: z.union([z.boolean(), z.enum(['1', '0', 'true', 'false'])]).transform((v) => v === true || v === '1' || v === 'true').default(true) });
export const ReadInput = z.object({ roomId: id, seq });
export const HistoryInput = z.object({
  roomId: id,
  /** Keyset paging by seq: messages strictly before this one (older), or strictly after. */
  before: seq.optional(),
  after: seq.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const EventsInput = z.object({ roomId: id, after: seq, limit: z.coerce.number().int().min(1).max(1000).default(500) });
const list = z
  .union([text(), z.array(text())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
/** Handles, as a list or one string ("@anne bob"): lower-cased, without "@". */
const handles = list.transform((v) => v.flatMap((h) => h.split(/[\s,]+/)).map((h) => h.trim().replace(/^@/, '').toLowerCase()).filter(Boolean));
/** Member ids picked in the people list. */
const people = list.transform((v) => [...new Set(v.map((p) => p.trim()).filter(Boolean))]).pipe(z.array(text().uuid('unknown_person')).max(20, 'too_many_people'));
const directTitle = visibleText(0, 80).default('');

export const OpenDirectInput = z.object({
  handles: handles.pipe(z.array(text().max(40, 'unknown_handle')).max(20, 'too_many_people')),
  people,
  title: directTitle,
  key: idempotencyKey,
});
/** The form: people picked (ids) and names typed, separated by commas or new lines. */
export const StartDirectInput = z.object({
  who: text()
    .max(1000, 'too_long')
    .default('')
    .transform((v) => [...new Set(v.split(/[,;\n]+/).map((t) => t.trim()).filter(Boolean))])
    .pipe(z.array(text().max(80, 'too_long')).max(20, 'too_many_people')),
  people,
  title: directTitle,
  key: idempotencyKey,
});
export const FindPeopleInput = z.object({ q: text().max(80, 'too_long').default(''), limit: z.coerce.number().int().min(1).max(20).default(8) });
export const ListDirectInput = z.object({ before: text().max(40).optional(), limit: z.coerce.number().int().min(1).max(100).default(30) });
export const ToDiscussionInput = z.object({ messageId: id, title: fields.title, key: idempotencyKey });
