/**
 * Events of deciding and meeting. A vote's event names the poll only, never what was chosen
 * (an anonymous vote must not be readable from the event log). Reminders name who is due.
 */
declare module '../../kernel/events' {
  interface EventPayloads {
    'poll.created': { pollId: string; kind: string };
    'poll.answered': { pollId: string };
    'poll.closed': { pollId: string; eventId: string | null };
    'poll.deleted': { pollId: string };
    'poll.reminder_due': { pollId: string; userIds: string[] };
    'poll.deadline_passed': { pollId: string };
    'decision.recorded': { decisionId: string };
    'event.created': { eventId: string };
    /** The event a date poll became: its participants are invited. */
    'event.invited': { eventId: string; userIds: string[] };
    'event.updated': { eventId: string; occurrence: string | null };
    'event.cancelled': { eventId: string; occurrence: string | null; userIds: string[] };
    'event.rsvped': { eventId: string; occurrence: string };
    'event.reminder_due': { eventId: string; occurrence: string; when: 'day' | 'hour'; userIds: string[] };
    'agenda.changed': { eventId: string; occurrence: string };
    'minutes.saved': { eventId: string; occurrence: string };
    'guest_polls.changed': { on: boolean };
  }
}
export {};

/** Event types after which a group's agenda, polls and decision pages look different. */
export const DECIDE_LIVE_TYPES = [
  'poll.created',
  'poll.answered',
  'poll.closed',
  'poll.deleted',
  'decision.recorded',
  'event.created',
  'event.updated',
  'event.cancelled',
  'event.rsvped',
  'agenda.changed',
  'minutes.saved',
];
