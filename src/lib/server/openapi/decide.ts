import { z } from 'zod';
import { errorResponses, type Fragment } from './index';
import {
  AgendaItemInput,
  ClosePollInput,
  CreateChoicePollInput,
  CreateDatePollInput,
  CreateEventInput,
  CreateProposalInput,
  DateAnswerInput,
  EditEventInput,
  EventRef,
  MinutesInput,
  RespondInput,
  RsvpInput,
  VoteInput,
} from '../domain/decide/schemas';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const body = (s: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(s) } } });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const uuid = (description: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description });
const q = (name: string, description: string, s: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', schema: s, description });
const pollId = uuid('Poll id');
const eventId = uuid('Event id');
const occurrence = q('occurrence', 'One occurrence of a recurring event: its local start (`2026-03-10T19:00`, or the date of an all-day event)');
const polls = ['polls'];
const events = ['events'];

/**
 * Deciding and meeting: date polls, choice polls, proposals, the decision log, events and
 * their RSVPs, meetings' agendas and minutes. Hidden things answer 404, as missing ones do.
 * Calendar feeds are iCalendar, not JSON: `/calendar/groups/{slug}` and a member's private
 * address (on the Calendar page).
 */
const fragment: Fragment = {
  paths: {
    '/polls': {
      get: {
        tags: polls,
        summary: 'A group’s date polls, polls and proposals',
        description: 'Open ones first (nearest deadline first), then closed ones (newest first).',
        parameters: [q('group', 'Group slug'), q('state', 'Which ones', { type: 'string', enum: ['open', 'closed', 'all'], default: 'all' })],
        responses: { '200': ok('`{ group, open, closed, can }`'), ...errorResponses },
      },
      post: {
        tags: polls,
        summary: 'A new date poll, choice poll or proposal (members)',
        description: '`kind` says which. A date poll proposes `slots` (a day, with a start and an end or none for the whole day) in `timeZone`; a choice poll `options` (at least two), `multiple`, `anonymous` (votes kept as counts, apart from who voted) and `results` (always, after voting, after closing); a proposal is decided by consent, with an optional quorum. Choice polls and proposals need a deadline.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  schema(CreateDatePollInput.extend({ kind: z.literal('date') })),
                  schema(CreateChoicePollInput.extend({ kind: z.literal('choice') })),
                  schema(CreateProposalInput.extend({ kind: z.literal('proposal') })),
                ],
              },
            },
          },
        },
        responses: { '201': ok('`{ id }`'), ...errorResponses },
      },
    },
    '/polls/decisions': {
      get: {
        tags: polls,
        summary: 'A group’s decision log',
        description: 'Outcomes of proposals, polls and meetings, newest first; with `q`, those whose title or statement match (stems, in French, Dutch and English). Keyset-paged: pass `next` as `after`.',
        parameters: [q('group', 'Group slug'), q('q', 'Words to find'), q('after', 'Cursor from `next`'), q('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 100, default: 30 })],
        responses: { '200': ok('`{ group, q, items, next }`'), ...errorResponses },
      },
    },
    '/polls/{id}': {
      parameters: [pollId],
      get: { tags: polls, summary: 'One poll, with its answers as far as you may see them', description: 'Anonymous polls show counts only, never who chose what.', responses: { '200': ok('`{ id, kind, title, …, date | choice | proposal, can }`'), ...errorResponses } },
      delete: { tags: polls, summary: 'Remove the poll (its author or a group admin)', responses: { '200': ok('`{ groupSlug }`'), ...errorResponses } },
    },
    '/polls/{id}/answer': { parameters: [pollId], post: { tags: polls, summary: 'Answer a date poll (yes / maybe / no per option)', requestBody: body(DateAnswerInput.omit({ pollId: true })), responses: { '200': ok('`{ participantId }`'), ...errorResponses } } },
    '/polls/{id}/vote': { parameters: [pollId], post: { tags: polls, summary: 'Vote in a choice poll', description: 'A named vote can be changed; an anonymous one counts once.', requestBody: body(VoteInput.omit({ pollId: true })), responses: { '200': ok('`{ pollId }`'), ...errorResponses } } },
    '/polls/{id}/respond': { parameters: [pollId], post: { tags: polls, summary: 'Take a position on a proposal', requestBody: body(RespondInput.omit({ pollId: true })), responses: { '200': ok('`{ pollId }`'), ...errorResponses } } },
    '/polls/{id}/close': { parameters: [pollId], post: { tags: polls, summary: 'Close the poll (its author or a group admin)', description: 'A proposal needs its outcome; a date poll its chosen `optionId`, which becomes an event inviting the participants.', requestBody: body(ClosePollInput.omit({ pollId: true })), responses: { '200': ok('`{ pollId, eventId }`'), ...errorResponses } } },
    '/events': {
      get: {
        tags: events,
        summary: 'A group’s agenda',
        description: 'The coming events (a year ahead), or with `month` the weeks of that month; recurring events come as their occurrences, in your time zone.',
        parameters: [q('group', 'Group slug'), q('month', 'A month, `YYYY-MM`'), q('limit', 'At most this many', { type: 'integer', minimum: 1, maximum: 200, default: 50 })],
        responses: { '200': ok('`{ group, view, month, weeks, items, can }`'), ...errorResponses },
      },
      post: { tags: events, summary: 'A new event (members)', description: 'Times are local to `timeZone`; `repeat` (or an `rrule`) makes a series.', requestBody: body(CreateEventInput), responses: { '201': ok('`{ id }`'), ...errorResponses } },
    },
    '/events/{id}': {
      parameters: [eventId],
      get: { tags: events, summary: 'One event (or occurrence): when, where, who comes, a meeting’s agenda', parameters: [occurrence], responses: { '200': ok('`{ event, occurrence, upcoming, rsvp, meeting, can }`'), ...errorResponses } },
      patch: { tags: events, summary: 'Change the event, its series, or one occurrence (its author or a group admin)', description: 'Every field is sent. Those who come are told, with the calendar update.', requestBody: body(EditEventInput.omit({ eventId: true })), responses: { '200': ok('`{ id, occurrence }`'), ...errorResponses } },
    },
    '/events/{id}/rsvp': { parameters: [eventId], post: { tags: events, summary: 'Say whether you come', requestBody: body(RsvpInput.omit({ eventId: true })), responses: { '200': ok('`{ eventId, occurrence, answer }`'), ...errorResponses } } },
    '/events/{id}/cancel': { parameters: [eventId], post: { tags: events, summary: 'Cancel the event or one occurrence (its author or a group admin)', requestBody: body(EventRef.omit({ eventId: true })), responses: { '200': ok('`{ id, occurrence }`'), ...errorResponses } } },
    '/events/{id}/agenda': { parameters: [eventId], post: { tags: events, summary: 'Add an item to a meeting’s agenda (members)', requestBody: body(AgendaItemInput.omit({ eventId: true })), responses: { '201': ok('`{ id, eventId, occurrence }`'), ...errorResponses } } },
    '/events/{id}/minutes': {
      parameters: [eventId],
      get: { tags: events, summary: 'A meeting’s agenda, minutes and action items', parameters: [occurrence], responses: { '200': ok('`{ event, occurrence, meeting, can }`'), ...errorResponses } },
      put: { tags: events, summary: 'Save a meeting’s minutes (members)', description: 'Each item’s notes and decision (decisions go to the decision log) and new action items (assignee and due date).', requestBody: body(MinutesInput.omit({ eventId: true })), responses: { '200': ok('`{ eventId, occurrence, tasks }`'), ...errorResponses } },
    },
  },
};
export default fragment;
