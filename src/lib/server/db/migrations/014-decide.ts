import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * Deciding and meeting: date polls (options, participants with or without an account, their
 * answers), choice polls (named votes, or anonymous ones kept as counts with no link to who
 * voted), proposals decided by consent, the decision log, events of a group's agenda (time zone,
 * recurrence with exceptions, RSVPs per occurrence), meetings (agenda items, minutes, action
 * items), members' private calendar feeds, and the reminders already sent.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const text = 'text' as const;
  const int = 'integer' as const;

  // A group's admins may let people without an account answer its date polls through a shared link.
  await sql`ALTER TABLE groups ADD COLUMN guest_polls integer NOT NULL DEFAULT 0`.execute(db);

  await db.schema
    .createTable('polls')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('author_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('description', text, (c) => c.notNull().defaultTo(''))
    .addColumn('description_html', text, (c) => c.notNull().defaultTo(''))
    .addColumn('multiple', int, (c) => c.notNull().defaultTo(0))
    .addColumn('anonymous', int, (c) => c.notNull().defaultTo(0))
    .addColumn('results', text, (c) => c.notNull().defaultTo('always'))
    .addColumn('time_zone', text, (c) => c.notNull().defaultTo('Europe/Brussels'))
    .addColumn('deadline_at', text)
    .addColumn('closed_at', text)
    .addColumn('closed_by', text)
    .addColumn('outcome', text, (c) => c.notNull().defaultTo(''))
    .addColumn('outcome_html', text, (c) => c.notNull().defaultTo(''))
    .addColumn('chosen_option_id', text)
    .addColumn('event_id', text)
    .addColumn('quorum_count', int)
    .addColumn('quorum_percent', int)
    .addColumn('allow_guests', int, (c) => c.notNull().defaultTo(0))
    .addColumn('guest_version', int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('deleted_at', text)
    .execute();
  await db.schema.createIndex('polls_group').on('polls').columns(['group_id', 'created_at']).execute();
  await db.schema.createIndex('polls_deadline').on('polls').columns(['deadline_at']).execute();

  await db.schema
    .createTable('poll_options')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('poll_id', text, (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('position', int, (c) => c.notNull())
    .addColumn('label', text, (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', text)
    .addColumn('ends_at', text)
    .addColumn('all_day', int, (c) => c.notNull().defaultTo(0))
    .addColumn('local_date', text, (c) => c.notNull().defaultTo(''))
    .addColumn('local_start', text, (c) => c.notNull().defaultTo(''))
    .addColumn('local_end', text, (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('poll_options_poll').on('poll_options').columns(['poll_id', 'position']).execute();

  // Date polls: who answered (a member, or a guest known by a name and a secret kept in their browser).
  await db.schema
    .createTable('poll_participants')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('poll_id', text, (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('guest_name', text)
    .addColumn('guest_key', text)
    .addColumn('guest_email', text)
    .addColumn('guest_secret_hash', text)
    .addColumn('comment', text, (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('poll_participants_user').on('poll_participants').columns(['poll_id', 'user_id']).unique().execute();
  await db.schema.createIndex('poll_participants_guest').on('poll_participants').columns(['poll_id', 'guest_key']).unique().execute();
  await db.schema.createIndex('poll_participants_secret').on('poll_participants').column('guest_secret_hash').execute();

  await db.schema
    .createTable('poll_answers')
    .addColumn('participant_id', text, (c) => c.notNull().references('poll_participants.id').onDelete('cascade'))
    .addColumn('option_id', text, (c) => c.notNull().references('poll_options.id').onDelete('cascade'))
    .addColumn('answer', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('poll_answers_pk', ['participant_id', 'option_id'])
    .execute();

  // Choice polls. Who voted, for every poll; what a named voter chose; and, for anonymous
  // polls, only counts per option: nothing ties a count to a voter (no row, no time, no order).
  await db.schema
    .createTable('poll_voters')
    .addColumn('poll_id', text, (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('voted_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('poll_voters_pk', ['poll_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('poll_votes')
    .addColumn('poll_id', text, (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('option_id', text, (c) => c.notNull().references('poll_options.id').onDelete('cascade'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('poll_votes_pk', ['poll_id', 'user_id', 'option_id'])
    .execute();
  await db.schema
    .createTable('poll_tallies')
    .addColumn('poll_id', text, (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('option_id', text, (c) => c.notNull().references('poll_options.id').onDelete('cascade'))
    .addColumn('count', int, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('poll_tallies_pk', ['poll_id', 'option_id'])
    .execute();

  // Proposals: each member's position (agree, abstain, disagree, block) and reason.
  await db.schema
    .createTable('poll_responses')
    .addColumn('poll_id', text, (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('position', text, (c) => c.notNull())
    .addColumn('reason', text, (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('poll_responses_pk', ['poll_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('decisions')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('source_id', text, (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('statement', text, (c) => c.notNull())
    .addColumn('statement_html', text, (c) => c.notNull())
    .addColumn('url', text, (c) => c.notNull())
    .addColumn('decided_at', text, (c) => c.notNull())
    .addColumn('recorded_by', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('decisions_group').on('decisions').columns(['group_id', 'decided_at']).execute();
  await db.schema.createIndex('decisions_source').on('decisions').columns(['kind', 'source_id']).unique().execute();

  await db.schema
    .createTable('calendar_events')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('author_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('description', text, (c) => c.notNull().defaultTo(''))
    .addColumn('description_html', text, (c) => c.notNull().defaultTo(''))
    .addColumn('time_zone', text, (c) => c.notNull())
    .addColumn('all_day', int, (c) => c.notNull().defaultTo(0))
    .addColumn('local_start', text, (c) => c.notNull())
    .addColumn('local_end', text, (c) => c.notNull())
    .addColumn('starts_at', text, (c) => c.notNull())
    .addColumn('ends_at', text, (c) => c.notNull())
    .addColumn('series_end_at', text, (c) => c.notNull())
    .addColumn('rrule', text, (c) => c.notNull().defaultTo(''))
    .addColumn('location', text, (c) => c.notNull().defaultTo(''))
    .addColumn('online_url', text, (c) => c.notNull().defaultTo(''))
    .addColumn('capacity', int)
    .addColumn('is_meeting', int, (c) => c.notNull().defaultTo(0))
    .addColumn('status', text, (c) => c.notNull().defaultTo('confirmed'))
    .addColumn('cancelled_at', text)
    .addColumn('sequence', int, (c) => c.notNull().defaultTo(0))
    .addColumn('source_poll_id', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calendar_events_group').on('calendar_events').columns(['group_id', 'starts_at']).execute();
  await db.schema.createIndex('calendar_events_range').on('calendar_events').columns(['series_end_at', 'starts_at']).execute();

  // One occurrence of a recurring event changed or cancelled, named by its original local start.
  await db.schema
    .createTable('calendar_event_exceptions')
    .addColumn('event_id', text, (c) => c.notNull().references('calendar_events.id').onDelete('cascade'))
    .addColumn('occurrence', text, (c) => c.notNull())
    .addColumn('cancelled', int, (c) => c.notNull().defaultTo(0))
    .addColumn('title', text)
    .addColumn('description', text)
    .addColumn('description_html', text)
    .addColumn('location', text)
    .addColumn('local_start', text)
    .addColumn('local_end', text)
    .addColumn('starts_at', text)
    .addColumn('ends_at', text)
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_event_exceptions_pk', ['event_id', 'occurrence'])
    .execute();

  await db.schema
    .createTable('event_rsvps')
    .addColumn('event_id', text, (c) => c.notNull().references('calendar_events.id').onDelete('cascade'))
    .addColumn('occurrence', text, (c) => c.notNull())
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('answer', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('event_rsvps_pk', ['event_id', 'occurrence', 'user_id'])
    .execute();
  await db.schema.createIndex('event_rsvps_user').on('event_rsvps').column('user_id').execute();

  await db.schema
    .createTable('agenda_items')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('event_id', text, (c) => c.notNull().references('calendar_events.id').onDelete('cascade'))
    .addColumn('occurrence', text, (c) => c.notNull())
    .addColumn('position', int, (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('owner_id', text, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('duration_min', int)
    .addColumn('discussion_id', text)
    .addColumn('task_id', text)
    .addColumn('notes', text, (c) => c.notNull().defaultTo(''))
    .addColumn('notes_html', text, (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agenda_items_event').on('agenda_items').columns(['event_id', 'occurrence', 'position']).execute();

  // A meeting's general minutes, per occurrence (its items have their own notes).
  await db.schema
    .createTable('meeting_minutes')
    .addColumn('event_id', text, (c) => c.notNull().references('calendar_events.id').onDelete('cascade'))
    .addColumn('occurrence', text, (c) => c.notNull())
    .addColumn('minutes', text, (c) => c.notNull())
    .addColumn('minutes_html', text, (c) => c.notNull())
    .addColumn('updated_by', text)
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_minutes_pk', ['event_id', 'occurrence'])
    .execute();

  // Action items of a meeting's minutes (until tasks are connected, they stay a list here).
  await db.schema
    .createTable('action_items')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('event_id', text, (c) => c.notNull().references('calendar_events.id').onDelete('cascade'))
    .addColumn('occurrence', text, (c) => c.notNull())
    .addColumn('agenda_item_id', text)
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('assignee_id', text, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('due_date', text)
    .addColumn('task_id', text)
    .addColumn('created_by', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('action_items_event').on('action_items').columns(['event_id', 'occurrence']).execute();

  // A member's private feed: its address is signed with this version; revoking bumps it.
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('user_id', text, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('version', int, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  // Reminders already sent (an event's occurrence the day before, an hour before; a poll's deadline).
  await db.schema
    .createTable('decide_reminders')
    .addColumn('key', text, (c) => c.primaryKey())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
}
