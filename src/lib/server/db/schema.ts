import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Database tables as Kysely sees them (camelCase; snake_case in SQL via CamelCasePlugin).
 * Times are ISO-8601 UTC strings; booleans are 0/1 integers; JSON is text. This subset
 * behaves the same on SQLite and PostgreSQL.
 */
export interface Database {
  instance: InstanceTable;
  users: UsersTable;
  sessions: SessionsTable;
  authTokens: AuthTokensTable;
  accessTokens: AccessTokensTable;
  loginAttempts: LoginAttemptsTable;
  loginThrottles: LoginThrottlesTable;
  groups: GroupsTable;
  memberships: MembershipsTable;
  joinRequests: JoinRequestsTable;
  invitations: InvitationsTable;
  groupLinks: GroupLinksTable;
  discussions: DiscussionsTable;
  comments: CommentsTable;
  reactions: ReactionsTable;
  discussionReads: DiscussionReadsTable;
  notices: NoticesTable;
  notifications: NotificationsTable;
  notificationPrefs: NotificationPrefsTable;
  notificationSettings: NotificationSettingsTable;
  mailThreads: MailThreadsTable;
  pushSubscriptions: PushSubscriptionsTable;
  files: FilesTable;
  drafts: DraftsTable;
  searchDocs: SearchDocsTable;
  events: EventsTable;
  jobs: JobsTable;
  chatRooms: ChatRoomsTable;
  chatParticipants: ChatParticipantsTable;
  chatMessages: ChatMessagesTable;
  chatEvents: ChatEventsTable;
  emailSettings: EmailSettingsTable;
  emailGroupPrefs: EmailGroupPrefsTable;
  emailInbound: EmailInboundTable;
  emailPending: EmailPendingTable;
  taskBoards: TaskBoardsTable;
  taskColumns: TaskColumnsTable;
  tasks: TasksTable;
  taskAssignees: TaskAssigneesTable;
  taskLabels: TaskLabelsTable;
  taskLabelLinks: TaskLabelLinksTable;
  taskChecklistItems: TaskChecklistItemsTable;
  taskComments: TaskCommentsTable;
  taskActivity: TaskActivityTable;
  taskReminders: TaskRemindersTable;
  mailActionUses: MailActionUsesTable;
  idempotencyKeys: IdempotencyKeysTable;
  polls: PollsTable;
  pollOptions: PollOptionsTable;
  pollParticipants: PollParticipantsTable;
  pollAnswers: PollAnswersTable;
  pollVoters: PollVotersTable;
  pollVotes: PollVotesTable;
  pollTallies: PollTalliesTable;
  pollResponses: PollResponsesTable;
  decisions: DecisionsTable;
  calendarEvents: CalendarEventsTable;
  calendarEventExceptions: CalendarEventExceptionsTable;
  eventRsvps: EventRsvpsTable;
  agendaItems: AgendaItemsTable;
  actionItems: ActionItemsTable;
  meetingMinutes: MeetingMinutesTable;
  calendarFeeds: CalendarFeedsTable;
  decideReminders: DecideRemindersTable;
}

export interface InstanceTable {
  id: number; // always 1
  name: string;
  description: string;
  openRegistration: number;
  defaultLocale: string;
  createdAt: string;
  /** When an administrator put away the first-steps checklist on home; null while it shows. */
  checklistDismissedAt: string | null;
}

export interface UsersTable {
  id: string;
  email: string; // lower-cased
  name: string;
  handle: string; // lower-cased, unique
  passwordHash: string | null;
  isAdmin: number;
  locale: string; // fr | nl | en
  timeZone: string; // IANA
  bio: string;
  avatarFileId: string | null;
  createdAt: string;
  disabledAt: string | null;
  /** Set when mail to this address bounced (a delivery status notification came back). */
  mailFailingAt?: string | null;
  mailFailingReason?: string | null;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie secret
  userId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  userAgent: string;
}

/** One-time links: magic login, password reset, email verification. Stored hashed. */
export interface AuthTokensTable {
  id: string;
  kind: 'magic' | 'reset';
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** What a personal access token may do: safe methods only, everything a member does, or everything the user may. */
export type TokenScope = 'read' | 'write' | 'admin';

export interface AccessTokensTable {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  scope: Generated<TokenScope>;
  /** null: never expires. */
  expiresAt: string | null;
}

/** Mails sent per address (login links, resets), counted in a sliding window. */
export interface LoginAttemptsTable {
  id: string;
  key: string; // "mail:x@y"
  createdAt: string;
}

/** Consecutive failed logins per key ("pair:…", "account:…", "source:…"): the delay grows with `failures`. */
export interface LoginThrottlesTable {
  key: string;
  /** The account's email for "pair:" and "account:" keys; null for "source:" keys. */
  account: string | null;
  failures: number;
  lastFailureAt: string;
}

export type Visibility = 'open' | 'closed' | 'secret';
export type Role = 'admin' | 'member';

export interface GroupsTable {
  id: string;
  parentId: string | null;
  name: string;
  slug: string;
  description: string;
  coverFileId: string | null;
  visibility: Visibility;
  createdBy: string;
  createdAt: string;
  /** Group-wide sequence of items (discussions and comments), for unread tracking. */
  lastSeq: number;
  discussionCount: number;
  memberCount: number;
  lastActivityAt: string;
  /** IANA time zone of the group (migration 012); null: Europe/Brussels. Due dates without a time are days there. */
  timeZone?: string | null;
  /** 1 when people without an account may answer the group's date polls through a shared link (migration 014). */
  guestPolls?: Generated<number>;
}

export interface MembershipsTable {
  groupId: string;
  userId: string;
  role: Role;
  createdAt: string;
  /** Items with seq <= readFloorSeq count as read (join time, or "mark all as read"). */
  readFloorSeq: number;
  /** Unread items in this group, maintained on write so the home page never counts. */
  unreadCount: number;
}

export interface JoinRequestsTable {
  id: string;
  groupId: string;
  userId: string;
  message: string;
  status: 'pending' | 'approved' | 'refused';
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface InvitationsTable {
  id: string;
  groupId: string | null; // null: invitation to the association only
  email: string | null; // null: a shareable link
  tokenHash: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  maxUses: number | null;
  useCount: number;
  revokedAt: string | null;
}

export interface GroupLinksTable {
  id: string;
  groupId: string;
  title: string;
  url: string;
  position: number;
  createdAt: string;
}

export interface DiscussionsTable {
  id: string;
  groupId: string;
  authorId: string;
  title: string;
  body: string;
  bodyHtml: string;
  seq: number;
  lastSeq: number;
  commentCount: number;
  pinnedAt: string | null;
  lockedAt: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  lastActivityAt: string;
}

export interface CommentsTable {
  id: string;
  discussionId: string;
  groupId: string;
  authorId: string;
  body: string;
  bodyHtml: string;
  seq: number;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
}

export interface ReactionsTable {
  targetId: string; // discussion or comment id
  userId: string;
  emoji: string;
  createdAt: string;
}

export interface DiscussionReadsTable {
  userId: string;
  discussionId: string;
  lastReadSeq: number;
  updatedAt: string;
}

/** What happened, once per event: the content every channel renders (JSON `data`). */
export interface NoticesTable {
  id: string;
  type: string;
  /** What the notice is about, for grouping and for re-checking who may still read it. */
  subjectKind: string;
  subjectId: string;
  itemId: string | null;
  groupId: string | null;
  actorId: string | null;
  data: string; // JSON NoticeData
  createdAt: string;
}

/** One member told of one notice, and why. */
export interface NotificationsTable {
  id: string;
  userId: string;
  noticeId: string;
  reason: string;
  subjectKind: string;
  subjectId: string;
  itemId: string | null;
  groupId: string | null;
  actorId: string | null;
  /** 1 when it shows in the member's inbox (their preference for this reason). */
  inInbox: number;
  /** null (no mail), 'pending' (waiting for the merge window), 'sent'. */
  mailState: string | null;
  /** The same member is never told twice of the same thing (an edit re-running mentions). */
  dedupeKey: string;
  createdAt: string;
  readAt: string | null;
}

/** A member's choice for one reason on one channel; no row means the default. */
export interface NotificationPrefsTable {
  userId: string;
  reason: string;
  channel: string;
  value: string;
  updatedAt: string;
}

/** Quiet hours (local, in the member's time zone) and the inbox's unread count, kept on write. */
export interface NotificationSettingsTable {
  userId: string;
  quietFrom: number | null;
  quietTo: number | null;
  inboxUnread: number;
  updatedAt: string;
  /** Local hour (0–23) of task reminders (migration 012); 8 by default. */
  reminderHour?: Generated<number>;
}

/** A device where a member turned notifications on (Web Push). */
export interface PushSubscriptionsTable {
  id: string;
  userId: string;
  /** The push service's URL for this device: only hosts of known push services are accepted. */
  endpoint: string;
  p256dh: string;
  auth: string;
  name: string;
  userAgent: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** When a member last got mail about a discussion or room, and when merged mail is due. */
export interface MailThreadsTable {
  userId: string;
  subjectId: string;
  lastSentAt: string;
  flushAt: string | null;
}

export interface FilesTable {
  id: string;
  ownerId: string;
  purpose: 'attachment' | 'avatar' | 'cover';
  groupId: string | null;
  discussionId: string | null;
  commentId: string | null;
  /** A chat attachment's message (migration 005); null for everything else. */
  chatMessageId: string | null;
  /** A task's attachment, and the task comment it belongs to (migration 012). */
  taskId?: string | null;
  taskCommentId?: string | null;
  name: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  hasPreview: number;
  createdAt: string;
}

export interface DraftsTable {
  userId: string;
  key: string; // 'discussion:<groupId>' | 'comment:<discussionId>'
  title: string;
  body: string;
  updatedAt: string;
}

export interface SearchDocsTable {
  rowid: Generated<number>;
  docId: string; // discussion, comment, task, task comment or decision id
  kind: 'discussion' | 'comment' | 'task' | 'task_comment' | 'decision';
  groupId: string;
  /** The discussion of a discussion or comment; for a decision of the decision log, the decision itself; '' for tasks. */
  discussionId: string;
  /** The task of a task or task comment (migration 012). */
  taskId?: string | null;
  /** Original title and plain text, for result snippets. */
  title: string;
  body: string;
  /** What is matched: the French, Dutch and English stems of the words, folded, space-separated (migration 010). */
  terms: string;
  createdAt: string;
}

/** Event log: every committed change, in order; realtime and integrations read it. */
export interface EventsTable {
  id: Generated<number>;
  type: string;
  groupId: string | null;
  actorId: string | null;
  data: string;
  createdAt: string;
}

/** Transactional outbox: jobs written in the same transaction as the change. */
export interface JobsTable {
  id: string;
  kind: string;
  payload: string;
  runAt: string;
  attempts: number;
  lockedUntil: string | null;
  lockedBy: string | null;
  lastError: string | null;
  doneAt: string | null;
  createdAt: string;
}

export type User = Selectable<UsersTable>;
export type Group = Selectable<GroupsTable>;
export type Membership = Selectable<MembershipsTable>;
export type Discussion = Selectable<DiscussionsTable>;
export type Comment = Selectable<CommentsTable>;
export type FileRow = Selectable<FilesTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;

/** A chat room: one per group (kind 'group'), or a direct conversation between members. */
export interface ChatRoomsTable {
  id: string;
  kind: 'group' | 'direct';
  groupId: string | null;
  /** Sorted participant ids of a direct conversation: the same people find the same room. */
  directKey: string | null;
  title: string;
  /** Per-room event sequence: every posted, edited, deleted or reacted message takes the next one. */
  lastSeq: number;
  /** Messages ever posted, so unread = messageCount - readCount without counting rows. */
  messageCount: number;
  createdBy: string;
  createdAt: string;
  lastActivityAt: string;
}

/** Participants of direct rooms; for group rooms, members' read cursors. */
export interface ChatParticipantsTable {
  roomId: string;
  userId: string;
  joinedAt: string;
  readSeq: number;
  readCount: number;
}

export interface ChatMessagesTable {
  id: string;
  roomId: string;
  authorId: string;
  /** Idempotency key chosen by the sender's client; unique per author. */
  clientKey: string;
  parentId: string | null;
  body: string;
  bodyHtml: string;
  seq: number;
  replyCount: number;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
}

/** Per-room event log: reconnecting clients replay the stored frames after their cursor. */
export interface ChatEventsTable {
  roomId: string;
  seq: number;
  kind: string;
  frame: string;
  createdAt: string;
}

/** How much mail a member wants: every message, what concerns them, a digest, or nothing. */
export type EmailLevel = 'all' | 'participating' | 'daily' | 'weekly' | 'none';

/** A member's mail settings; no row means the defaults ('participating', digest at 8:00 on Monday). */
export interface EmailSettingsTable {
  userId: string;
  level: EmailLevel;
  /** Local hour (0–23, in the member's time zone) at which digests are built. */
  digestHour: number;
  /** ISO weekday (1 = Monday … 7 = Sunday) of the weekly digest. */
  digestWeekday: number;
  /** Next time (UTC) a digest is due, or null when no group is at a digest level. */
  nextDigestAt: string | null;
  lastDigestAt: string | null;
  updatedAt: string;
}

/** A member's level for one group, overriding their default. */
export interface EmailGroupPrefsTable {
  userId: string;
  groupId: string;
  level: EmailLevel;
  updatedAt: string;
}

/** Inbound mail already handled, keyed by Message-ID: a redelivery never posts twice. */
export interface EmailInboundTable {
  id: string;
  messageKey: string;
  /** The From address when authenticated, else "unverified:<address>" (hourly limits count them apart). */
  sender: string;
  recipient: string;
  outcome: string;
  createdAt: string;
}

/**
 * A mail in a member's name that could not be authenticated: posted only when the member
 * confirms it (single-use link, expires). The raw message is the file `eml` under DATA_DIR.
 */
export interface EmailPendingTable {
  id: string;
  userId: string;
  kind: 'reply' | 'discussion' | 'task_reply';
  discussionId: string | null;
  groupId: string | null;
  /** Title of the new discussion ('' for a reply). */
  title: string;
  body: string;
  subject: string;
  /** The From: address, as written. */
  sender: string;
  /** Why it was not authenticated, in a few words. */
  auth: string;
  /** JSON: [{ name, size }] of the attachments, to show before posting. */
  files: string;
  eml: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  /** 'posted:<id>' or 'refused:<code>' once used. */
  outcome: string | null;
  /** The task a held reply comments on (migration 012). */
  taskId?: string | null;
}

/** A group's task board exists (its default columns were made once). */
export interface TaskBoardsTable {
  groupId: string;
  createdAt: string;
}

/** The default columns' presets: named in each reader's language until a group admin renames them. */
export type ColumnPreset = 'todo' | 'doing' | 'done';

/** A column of a group's board, in order; exactly one is the "done" column. */
export interface TaskColumnsTable {
  id: string;
  groupId: string;
  /** null: a default column, named after its preset. */
  name: string | null;
  preset: ColumnPreset | null;
  position: number;
  isDone: number;
  createdAt: string;
}

/** A task: in one column of its group's board, at a position (dense from 0 per column among live tasks). */
export interface TasksTable {
  id: string;
  groupId: string;
  columnId: string;
  position: number;
  title: string;
  description: string;
  descriptionHtml: string;
  /** 0 urgent, 1 high, 2 normal, 3 low. */
  priority: number;
  /** The due instant (UTC); for a due day without a time, the start of that day in the group's time zone. */
  dueAt: string | null;
  dueHasTime: number;
  /** When it becomes overdue: the due time, or the end of the due day. */
  overdueAt: string | null;
  authorId: string;
  /** Every change to what edits and moves carry takes the next version. */
  version: number;
  completedAt: string | null;
  completedBy: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
  /** Made from a discussion, a comment or a chat message. */
  originKind: 'discussion' | 'comment' | 'chat' | null;
  originId: string | null;
  /** The discussion of a comment origin (the discussion also shows the chip). */
  originDiscussionId: string | null;
  /** An RRULE (RFC 5545) when the task recurs. */
  recurrence: string | null;
  /** The first task of a recurring series. */
  seriesId: string | null;
  /** The occurrence made after this one, once made. */
  nextTaskId: string | null;
  commentCount: number;
  checklistCount: number;
  checklistDone: number;
  createdAt: string;
  updatedAt: string;
}

export interface TaskAssigneesTable {
  taskId: string;
  userId: string;
  createdAt: string;
}

/** A group's labels (name and colour), managed by its members. */
export interface TaskLabelsTable {
  id: string;
  groupId: string;
  name: string;
  color: string;
  createdAt: string;
}

export interface TaskLabelLinksTable {
  taskId: string;
  labelId: string;
}

/** One line of a task's checklist, with its own assignee and due date. */
export interface TaskChecklistItemsTable {
  id: string;
  taskId: string;
  position: number;
  text: string;
  done: number;
  assigneeId: string | null;
  dueAt: string | null;
  dueHasTime: number;
  doneAt: string | null;
  doneBy: string | null;
  createdAt: string;
}

export interface TaskCommentsTable {
  id: string;
  taskId: string;
  groupId: string;
  authorId: string;
  body: string;
  bodyHtml: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
}

/** Who changed what on a task, and when (JSON `data` per kind). */
export interface TaskActivityTable {
  id: string;
  taskId: string;
  actorId: string | null;
  kind: string;
  data: string;
  createdAt: string;
}

/** A reminder sent: at most once per task, member, kind ('soon', 'overdue') and due date. */
export interface TaskRemindersTable {
  taskId: string;
  userId: string;
  kind: string;
  dueAt: string;
  createdAt: string;
}

/** A one-click mail link already used (mark done, take it): each works once. */
export interface MailActionUsesTable {
  nonce: string;
  userId: string;
  path: string;
  usedAt: string;
}

/** A creating write's idempotency key and its first result (migration 008, kernel/idempotency.ts). */
export interface IdempotencyKeysTable {
  userId: string;
  key: string;
  /** The use case, e.g. 'discussion.create': a key is never reused for another one. */
  scope: string;
  /** The first result as JSON; null only inside the transaction that writes it. */
  result: string | null;
  createdAt: string;
}

/** A date poll, a choice poll or a proposal of a group (migration 014). */
export type PollKind = 'date' | 'choice' | 'proposal';
/** When a choice poll's results show: always, once the member voted, once it is closed. */
export type PollResults = 'always' | 'voted' | 'closed';
export interface PollsTable {
  id: string;
  groupId: string;
  kind: PollKind;
  authorId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  multiple: number;
  anonymous: number;
  results: PollResults;
  /** The zone date poll options were proposed in. */
  timeZone: string;
  deadlineAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  outcome: string;
  outcomeHtml: string;
  /** A date poll's chosen slot, and the event it became. */
  chosenOptionId: string | null;
  eventId: string | null;
  quorumCount: number | null;
  quorumPercent: number | null;
  allowGuests: number;
  /** Signs the shared link for guests: bumping it revokes the old link. */
  guestVersion: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}
/** An option: a label (choice polls), or a day or time slot (date polls: UTC instants plus the local values proposed). */
export interface PollOptionsTable {
  id: string;
  pollId: string;
  position: number;
  label: string;
  startsAt: string | null;
  endsAt: string | null;
  allDay: number;
  localDate: string;
  localStart: string;
  localEnd: string;
}
/** Someone who answered a date poll: a member, or a guest (name, optional address, a secret kept in their browser). */
export interface PollParticipantsTable {
  id: string;
  pollId: string;
  userId: string | null;
  guestName: string | null;
  /** The guest's name folded, unique per poll. */
  guestKey: string | null;
  guestEmail: string | null;
  guestSecretHash: string | null;
  comment: string;
  createdAt: string;
  updatedAt: string;
}
export type DateAnswer = 'yes' | 'maybe' | 'no';
export interface PollAnswersTable {
  participantId: string;
  optionId: string;
  answer: DateAnswer;
}
/** Who voted in a choice poll (never what, for an anonymous one). */
export interface PollVotersTable {
  pollId: string;
  userId: string;
  votedAt: string;
}
/** What a named voter chose. */
export interface PollVotesTable {
  pollId: string;
  userId: string;
  optionId: string;
  createdAt: string;
}
/** An anonymous poll's counts per option: no voter, no time. */
export interface PollTalliesTable {
  pollId: string;
  optionId: string;
  count: number;
}
export type Position = 'agree' | 'abstain' | 'disagree' | 'block';
export interface PollResponsesTable {
  pollId: string;
  userId: string;
  position: Position;
  reason: string;
  createdAt: string;
  updatedAt: string;
}
/** One line of a group's decision log: the outcome of a proposal, a poll, a date poll or a meeting's item. */
export interface DecisionsTable {
  id: string;
  groupId: string;
  kind: 'proposal' | 'choice' | 'date' | 'meeting';
  sourceId: string;
  title: string;
  statement: string;
  statementHtml: string;
  url: string;
  decidedAt: string;
  recordedBy: string | null;
  createdAt: string;
}
/** An event of a group's agenda; recurring when `rrule` is set (its occurrences keep their local time). */
export interface CalendarEventsTable {
  id: string;
  groupId: string;
  authorId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  timeZone: string;
  allDay: number;
  /** 'YYYY-MM-DDTHH:MM' (or 'YYYY-MM-DD' all day) in `timeZone`: the first occurrence's wall-clock times. */
  localStart: string;
  localEnd: string;
  startsAt: string;
  endsAt: string;
  /** When the last occurrence ends ('9999-…' for a series without end): range queries. */
  seriesEndAt: string;
  rrule: string;
  location: string;
  onlineUrl: string;
  capacity: number | null;
  isMeeting: number;
  status: 'confirmed' | 'cancelled';
  cancelledAt: string | null;
  /** iCalendar SEQUENCE: raised on every change, so calendar clients take the new version. */
  sequence: number;
  sourcePollId: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface CalendarEventExceptionsTable {
  eventId: string;
  /** The occurrence's original local start ('YYYY-MM-DDTHH:MM' or 'YYYY-MM-DD'). */
  occurrence: string;
  cancelled: number;
  title: string | null;
  description: string | null;
  descriptionHtml: string | null;
  location: string | null;
  localStart: string | null;
  localEnd: string | null;
  startsAt: string | null;
  endsAt: string | null;
  updatedAt: string;
}
export type RsvpAnswer = 'yes' | 'maybe' | 'no';
export interface EventRsvpsTable {
  eventId: string;
  /** '' for a single event; the occurrence's original local start otherwise. */
  occurrence: string;
  userId: string;
  answer: RsvpAnswer;
  createdAt: string;
  updatedAt: string;
}
export interface AgendaItemsTable {
  id: string;
  eventId: string;
  occurrence: string;
  position: number;
  title: string;
  ownerId: string | null;
  durationMin: number | null;
  discussionId: string | null;
  taskId: string | null;
  /** Minutes of this item. */
  notes: string;
  notesHtml: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
/** A meeting's general minutes, for one occurrence. */
export interface MeetingMinutesTable {
  eventId: string;
  occurrence: string;
  minutes: string;
  minutesHtml: string;
  updatedBy: string | null;
  updatedAt: string;
}
export interface ActionItemsTable {
  id: string;
  eventId: string;
  occurrence: string;
  agendaItemId: string | null;
  title: string;
  assigneeId: string | null;
  dueDate: string | null;
  /** The task it became, once tasks are connected. */
  taskId: string | null;
  createdBy: string;
  createdAt: string;
}
export interface CalendarFeedsTable {
  userId: string;
  version: number;
  createdAt: string;
}
export interface DecideRemindersTable {
  key: string;
  createdAt: string;
}
