import { z } from 'zod';
import { fields, idempotencyKey, text, visibleText } from '../../kernel/validate';

/**
 * Input schemas of deciding and meeting (date polls, polls, proposals, events, meetings),
 * shared by form actions, the JSON API and the OpenAPI document. Messages are i18n codes
 * (`errors.<code>`); what needs the clock or the database (a date in the past, an option of
 * another poll) is checked by the services.
 */
const id = fields.uuid;
const slug = text().trim().min(1, 'required').max(100, 'not_found');
/** A checkbox or a JSON boolean. */
export const flag = z
  .union([z.boolean(), z.enum(['1', '0', 'on', 'off', 'true', 'false', ''])])
  .optional()
  .transform((v) => v === true || v === '1' || v === 'on' || v === 'true');
const optional = <S extends z.ZodType>(s: S) => z.preprocess((v) => (v === '' || v === null ? undefined : v), s.optional());
export const localDate = text().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'bad_date');
export const localTime = text().trim().regex(/^\d{1,2}:\d{2}$/, 'bad_time');
const timeZone = text().trim().min(1, 'required').max(64, 'bad_zone');
const description = text().trim().max(10_000, 'too_long').default('');
const count = (max: number) => z.coerce.number('bad_value').int('bad_value').min(1, 'bad_value').max(max, 'bad_value');

export const DATE_ANSWERS = ['yes', 'maybe', 'no'] as const;
export const POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const;
export const RSVP_ANSWERS = ['yes', 'maybe', 'no'] as const;
export const RESULTS = ['always', 'voted', 'closed'] as const;
export const REPEATS = ['none', 'daily', 'weekly', 'monthly', 'yearly'] as const;
/** At most this many options in a poll, slots in a date poll. */
export const MAX_OPTIONS = 40;

/** A proposed slot: a day, with a start (and an end) or none (the whole day). */
export const SlotInput = z.object({ date: localDate, start: optional(localTime), end: optional(localTime) });

const deadline = { deadlineDate: optional(localDate), deadlineTime: optional(localTime) };

export const CreateDatePollInput = z.object({
  groupSlug: slug,
  title: fields.title,
  description,
  timeZone,
  slots: z.array(SlotInput).max(MAX_OPTIONS, 'too_many_options'),
  allowGuests: flag,
  ...deadline,
  key: idempotencyKey,
});

export const CreateChoicePollInput = z.object({
  groupSlug: slug,
  title: fields.title,
  description,
  timeZone,
  options: z.array(text().trim().max(200, 'too_long')).max(MAX_OPTIONS, 'too_many_options'),
  multiple: flag,
  anonymous: flag,
  results: z.enum(RESULTS, 'bad_value').default('always'),
  ...deadline,
  key: idempotencyKey,
});

export const CreateProposalInput = z.object({
  groupSlug: slug,
  title: fields.title,
  description,
  timeZone,
  ...deadline,
  quorum: z.enum(['none', 'count', 'percent'], 'bad_value').default('none'),
  quorumValue: optional(count(100_000)),
  key: idempotencyKey,
});

export const PollRef = z.object({ pollId: id });
const comment = text().trim().max(500, 'too_long').default('');
/** A date poll answer: for each option, yes / if need be / no (options left out stay unanswered). */
export const DateAnswerInput = z.object({ pollId: id, answers: z.record(text(), z.enum(DATE_ANSWERS, 'bad_value')), comment });
export const GuestAnswerInput = z.object({
  token: text().max(200, 'not_found'),
  name: visibleText(1, 80),
  email: optional(fields.email),
  answers: z.record(text(), z.enum(DATE_ANSWERS, 'bad_value')),
  comment,
  key: idempotencyKey,
});
export const GuestEditInput = z.object({ token: text().max(200, 'not_found'), secret: text().max(200, 'not_found'), answers: z.record(text(), z.enum(DATE_ANSWERS, 'bad_value')), comment });
export const VoteInput = z.object({
  pollId: id,
  optionIds: z
    .union([z.array(text()), text()])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '')),
});
export const RespondInput = z.object({ pollId: id, position: z.enum(POSITIONS, 'bad_value'), reason: text().trim().max(2000, 'too_long').default('') });
export const ClosePollInput = z.object({ pollId: id, outcome: text().trim().max(5000, 'too_long').default(''), optionId: optional(id) });
export const ListPollsInput = z.object({ groupSlug: slug, state: z.enum(['open', 'closed', 'all']).default('all') });
export const GuestSettingInput = z.object({ groupSlug: slug, on: flag });

export const EventFieldsInput = z.object({
  title: fields.title,
  description,
  timeZone,
  allDay: flag,
  startDate: localDate,
  startTime: optional(localTime),
  endDate: optional(localDate),
  endTime: optional(localTime),
  location: text().trim().max(300, 'too_long').default(''),
  onlineUrl: optional(fields.url),
  capacity: optional(count(100_000)),
  isMeeting: flag,
});
export const RecurrenceInput = z.object({
  repeat: z.enum(REPEATS, 'bad_value').default('none'),
  interval: optional(count(99)),
  repeatUntil: optional(localDate),
  repeatCount: optional(count(500)),
  /** An RRULE written by hand (advanced): FREQ=…;BYDAY=…, without DTSTART. */
  rrule: optional(text().trim().max(300, 'too_long')),
});
export const CreateEventInput = EventFieldsInput.extend(RecurrenceInput.shape).extend({ groupSlug: slug, key: idempotencyKey });
export const EventRef = z.object({ eventId: id, occurrence: optional(text().trim().max(20, 'not_found')) });
export const EditEventInput = EventFieldsInput.extend(RecurrenceInput.partial().shape).extend(EventRef.shape);
export const RsvpInput = EventRef.extend({ answer: z.enum(RSVP_ANSWERS, 'bad_value'), key: idempotencyKey });
export const ListEventsInput = z.object({
  groupSlug: slug,
  /** 'YYYY-MM': a month view; otherwise the coming events from today. */
  month: optional(text().trim().regex(/^\d{4}-\d{2}$/, 'bad_value')),
  after: optional(text().trim().max(40)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AgendaItemInput = EventRef.extend({
  title: visibleText(1, 200),
  ownerId: optional(id),
  durationMin: optional(count(600)),
  discussionId: optional(id),
  taskId: optional(text().trim().max(64)),
  key: idempotencyKey,
});
export const AgendaItemRef = z.object({ itemId: id });
export const MoveAgendaItemInput = AgendaItemRef.extend({ direction: z.enum(['up', 'down'], 'bad_value') });
/** "Add to the next meeting's agenda" from a discussion (or, once connected, a task). */
export const AgendaFromInput = z.object({ groupSlug: slug, discussionId: optional(id), taskId: optional(text().trim().max(64)) });

const notes = text().trim().max(20_000, 'too_long').default('');
export const MinutesInput = EventRef.extend({
  minutes: notes,
  items: z.array(z.object({ id, notes, decision: text().trim().max(5000, 'too_long').default('') })).max(100).default([]),
  actions: z
    .array(z.object({ title: text().trim().max(200, 'too_long').default(''), assigneeId: optional(id), dueDate: optional(localDate), itemId: optional(id) }))
    .max(50)
    .default([]),
});
export const ActionItemRef = z.object({ actionId: id });

export const DecisionsInput = z.object({
  groupSlug: slug,
  q: text().trim().max(200, 'too_long').default(''),
  after: optional(text().max(200)),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

/** One-click links from mail: the member's signed token and what they preselected. */
export const MailLinkInput = z.object({ t: text().max(200, 'not_found') });
