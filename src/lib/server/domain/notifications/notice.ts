import type { Tx } from '../../db/connect';
import type { EventType, RecordedEvent } from '../../kernel/events';
import type { Deps } from '../../kernel/deps';
import type { Actor } from '../../policy';
import type { Reason } from './reasons';
import type { T } from '../../../i18n';

/**
 * What a notice is about. Each kind is declared by the feature that owns it, with the SQL
 * that says who may still read it (see `SubjectVisibility`).
 */
export type SubjectKind = string;

/** A message of the dictionaries with its parameters, translated for each recipient. */
export type MsgRef = { key: string; params: Record<string, string | number> };

/** The content of a notice, the same for every channel; each renders it in the member's language. */
export type NoticeData = {
  /** The thing's title (a discussion's title, a room's name, a group's name). */
  title: string;
  /** Path inside the app that opens the exact item. */
  url: string;
  /**
   * One line saying what happened. Channels look up `<key>.<reason>` first ("mentioned you",
   * "replied to your discussion"), then `<key>`.
   */
  summary: MsgRef;
  /** A short plain-text excerpt for lists and push. */
  excerpt?: string;
  /** The whole text, for mail. */
  body?: { text: string; html: string };
  group?: { slug: string; name: string } | null;
  actor?: { id: string; name: string } | null;
  /** Mail threading: Message-ID keys of the thread's root and of this item, and the thread's subject. */
  thread?: { root: string; item: string; reply: boolean; subject: string };
  /** Answering the mail posts here: a reply in a discussion, a comment on a task, or an answer to an invitation (an event: "yes", "oui", "ja"). */
  replyTo?: { kind: 'discussion' | 'task' | 'event'; id: string };
  /**
   * One-click actions for the recipient ("Mark as done", "I'll take it", "Vote", "I'm coming"):
   * a message key (with its parameters) for the button and a path of the app. Each channel that
   * shows them signs the path for its recipient (kernel/action-links.ts): `once` links work a
   * single time (a task's done or take), the others can be followed again (a vote can change).
   * The page a link opens shows what will happen (mail scanners follow links); its button acts.
   */
  actions?: { label: string; url: string; params?: Record<string, string>; once?: boolean }[];
  /** When it takes place (an event, a poll's deadline): each channel shows it in the member's language and zone. */
  when?: { startsAt: string; endsAt?: string | null; allDay?: boolean; timeZone?: string };
  /** An iCalendar object sent with the mail (an invitation, its update, its cancellation). */
  calendar?: { method: 'REQUEST' | 'CANCEL'; ics: string };
};

/** What happened, in the recipient's words: `<key>.<reason>` when the dictionaries have it, else `<key>`. */
export function summaryText(t: T, d: NoticeData, reason: string): string {
  const specific = `${d.summary.key}.${reason}`;
  const s = t(specific, d.summary.params);
  return s === specific ? t(d.summary.key, d.summary.params) : s;
}

/** A short plain-text excerpt of a text, for inbox lines and push. */
export function excerptOf(s: string, n = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

/** A notice as stored: one per event, shared by everyone told of it. */
export type Notice = {
  id: string;
  type: string;
  subjectKind: SubjectKind;
  subjectId: string;
  itemId: string | null;
  groupId: string | null;
  actorId: string | null;
  data: NoticeData;
  createdAt: string;
};

/** Someone who should hear of an event, and why. */
export type Candidate = { userId: string; reason: Reason };

/** What a feature says about one of its events: what happened, to whom it matters, who may read it. */
export type Announcement = {
  subject: { kind: SubjectKind; id: string };
  itemId: string | null;
  groupId: string | null;
  data: NoticeData;
  /** Computed set-wise (one query per reason), never one member at a time. */
  candidates: Candidate[];
  /** Members of this group who want every message on some channel (reason `member`): each channel finds its own. */
  everyMessageOf?: string | null;
  /** The policy, asked for each recipient (their roles in `groupId` are loaded set-wise). */
  mayRead(actor: Actor): boolean;
};

/** Declared by a feature next to its events: from one event to its announcement (or nothing). */
export type Notifier<K extends EventType> = (tx: Tx, e: RecordedEvent<K>, deps: Deps) => Promise<Announcement | null>;
export type Notifiers = { [K in EventType]?: Notifier<K> };
