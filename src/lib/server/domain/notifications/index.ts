/**
 * The notification pipeline's public face. Features import from here only: they declare
 * notifiers for their events and the visibility of their subjects, and mark a subject read
 * when the member opens it. Channels (inbox here, mail in domain/email) implement `Channel`.
 */
export type { Announcement, Candidate, Notice, NoticeData, Notifier, Notifiers, MsgRef } from './notice';
export { excerptOf, summaryText } from './notice';
export type { Channel, Recipient, SubjectVisibility } from './channel';
export { REASONS, CHANNELS, DEFAULT_CHOICES, type Reason, type ChannelName } from './reasons';
export { DEFAULT_REMINDER_HOUR } from './prefs';
export { createPipeline, quietUntil } from './pipeline';
export { inboxChannel, markRead, markItemHandled, unreadCount, type InboxLive, type InboxEntry } from './inbox';
export { createNotificationsService, type NotificationsService } from './notifications.service';
export { unreadNotices, recentNotices, reviseNotices } from './queries';
export type { DigestItem, DigestSource } from './digest';
