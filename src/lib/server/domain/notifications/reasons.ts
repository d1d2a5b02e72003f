/**
 * Why a member is told of something, strongest first: when one event concerns a member for
 * several reasons (mentioned in a reply to their own discussion), the strongest one decides.
 */
export const REASONS = ['mentioned', 'direct', 'assigned', 'replied', 'invited', 'reminder', 'admin', 'watcher', 'participant', 'member'] as const;
export type Reason = (typeof REASONS)[number];
export const isReason = (s: unknown): s is Reason => typeof s === 'string' && (REASONS as readonly string[]).includes(s);
const rank = new Map(REASONS.map((r, i) => [r, i]));
export const stronger = (a: Reason, b: Reason): Reason => (rank.get(a)! <= rank.get(b)! ? a : b);

/** The channels a member can be told through. */
export const CHANNELS = ['inbox', 'email', 'push'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** What a member chose for a reason on a channel. */
export const CHOICES = {
  /** The inbox (and the bell): shown or not. */
  inbox: ['on', 'off'],
  /** Mail: at once, as the group's mail level says (every message, participating, digest, none), or never. */
  email: ['now', 'level', 'off'],
  /** Push to the member's devices (their phone rings): at once, or never. */
  push: ['now', 'off'],
} as const satisfies Record<(typeof CHANNELS)[number], readonly string[]>;
export type Choice<C extends (typeof CHANNELS)[number]> = (typeof CHOICES)[C][number];
export type ChoiceTable = Record<Reason, { [C in (typeof CHANNELS)[number]]: Choice<C> }>;

/**
 * Sensible defaults: mentions, direct messages, assignments, invitations and reminders reach
 * the inbox and the mail at once, and ring the member's devices; replies to my discussions and threads reach the inbox and
 * follow the group's mail level; what I merely took part in or watch follows the group's mail
 * level (as mail always did); requests to handle as an admin: inbox only; every message of a
 * group: mail only, and only at the "every message" level.
 */
export const DEFAULT_CHOICES: ChoiceTable = {
  mentioned: { inbox: 'on', email: 'now', push: 'now' },
  direct: { inbox: 'on', email: 'now', push: 'now' },
  assigned: { inbox: 'on', email: 'now', push: 'now' },
  replied: { inbox: 'on', email: 'level', push: 'now' },
  invited: { inbox: 'on', email: 'off', push: 'now' },
  reminder: { inbox: 'on', email: 'now', push: 'now' },
  admin: { inbox: 'on', email: 'off', push: 'now' },
  watcher: { inbox: 'on', email: 'level', push: 'off' },
  participant: { inbox: 'off', email: 'level', push: 'off' },
  member: { inbox: 'off', email: 'level', push: 'off' },
};
