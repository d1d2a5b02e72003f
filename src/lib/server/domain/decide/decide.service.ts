import type { Deps } from '../../kernel/deps';
import { notFound } from '../../kernel/errors';
import { isUuid } from '../../kernel/ids';
import type { Actor } from '../../policy';
import { createAgenda } from './agenda';
import { makeCtx } from './context';
import { createDatePolls } from './datepoll';
import { createDecisions } from './decisions';
import { createEvents } from './events';
import { createFeeds } from './feeds';
import { createMailLinks } from './mail-links';
import { createMeetings } from './meetings';
import { createPollView } from './poll-view';
import { createPolls } from './polls';
import { noTasks, type TasksPort } from './ports';
import { createReminders } from './reminders';
import { createAwaiting } from './awaiting';
import { findEvent } from './repo';
import { createRsvp } from './rsvp';
import { createVotes } from './votes';

export { pollFormInput } from './polls';
export type { TasksPort } from './ports';

/** A date poll's answers from a form: `answer.<optionId>` = yes | maybe | no. */
export function answersFromForm(f: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    const m = /^answer\.([0-9a-f-]{36})$/i.exec(k);
    if (m && typeof v === 'string' && v) out[m[1]] = v;
  }
  return out;
}

/** A meeting's minutes from a form: `notes.<itemId>`, `decision.<itemId>`, and action rows `action.N.title|assigneeId|dueDate|itemId`. */
export function minutesFromForm(f: Record<string, unknown>): Record<string, unknown> {
  const items = new Map<string, { id: string; notes: string; decision: string }>();
  const actions = new Map<string, Record<string, string>>();
  for (const [k, v] of Object.entries(f)) {
    if (typeof v !== 'string') continue;
    const m = /^(notes|decision)\.([0-9a-f-]{36})$/i.exec(k);
    if (m) {
      const it = items.get(m[2]) ?? { id: m[2], notes: '', decision: '' };
      it[m[1] as 'notes' | 'decision'] = v;
      items.set(m[2], it);
    }
    const a = /^action\.(\d{1,2})\.(title|assigneeId|dueDate|itemId)$/.exec(k);
    if (a) actions.set(a[1], { ...(actions.get(a[1]) ?? {}), [a[2]]: v });
  }
  return { eventId: f.eventId, occurrence: f.occurrence, minutes: f.minutes ?? '', items: [...items.values()], actions: [...actions.entries()].sort((x, y) => Number(x[0]) - Number(y[0])).map(([, a]) => a) };
}

/**
 * Deciding and meeting: date polls, choice polls and proposals, the decision log, the
 * agenda's events (RSVPs, recurrences, reminders), meetings (agenda, minutes, action items),
 * calendar feeds, and the mail's one-click answers. Every function takes the acting member
 * first and unvalidated input second; tasks are reached only through `tasks` (the port).
 */
export function createDecideService(deps: Deps, tasks: TasksPort = noTasks) {
  const ctx = makeCtx(deps, tasks);
  const feeds = createFeeds(ctx);
  return {
    ...createPolls(ctx),
    ...createPollView(ctx),
    ...createDatePolls(ctx),
    ...createVotes(ctx),
    ...createDecisions(ctx),
    ...createEvents(ctx),
    ...createAgenda(ctx),
    ...createRsvp(ctx),
    ...createAwaiting(ctx),
    ...createMeetings(ctx),
    ...createReminders(ctx),
    ...feeds,
    mail: createMailLinks(ctx),
    /** One event's .ics (the event page's "Add to my calendar"). */
    async eventCalendar(actor: Actor, raw: { eventId: string }) {
      if (!isUuid(raw.eventId)) notFound();
      const e = (await findEvent(deps.db, raw.eventId)) ?? notFound();
      return { filename: `${e.title.replace(/[^\p{L}\p{N} _-]+/gu, '').trim().slice(0, 60) || 'event'}.ics`, ics: await feeds.eventIcs(actor, e) };
    },
  };
}
export type DecideService = ReturnType<typeof createDecideService>;
