import { z } from 'zod';
import { fields, idempotencyKey, text, visibleText } from '../../kernel/validate';
import { SLUG_RE } from './slug';

/** Input schemas of the groups feature, shared by forms, the JSON API and the OpenAPI document. */
const slug = text().trim().toLowerCase().max(60, 'too_long').regex(SLUG_RE, 'slug');
const optionalSlug = z.preprocess((v) => (v === '' || v === null ? undefined : v), slug.optional());
const visibility = z.enum(['open', 'closed', 'secret'], { message: 'bad_value' });
const description = text().trim().max(20_000, 'too_long');
const groupName = visibleText(2, 80);

export const CreateGroupInput = z.object({
  name: groupName,
  slug: optionalSlug,
  description: description.default(''),
  visibility: visibility.default('open'),
  /** Slug of the parent group, for a working group. */
  parent: optionalSlug,
  key: idempotencyKey,
});

export const UpdateGroupInput = z.object({
  name: groupName.optional(),
  slug: optionalSlug,
  description: description.optional(),
  visibility: visibility.optional(),
});

export const JoinRequestInput = z.object({ message: text().trim().max(1000, 'too_long').default(''), key: idempotencyKey });

export const DecideRequestInput = z.object({
  requestId: fields.uuid,
  decision: z.enum(['approve', 'refuse'], { message: 'bad_value' }),
});

export const MemberInput = z.object({ userId: fields.uuid });
export const SetRoleInput = z.object({ userId: fields.uuid, role: z.enum(['admin', 'member'], { message: 'bad_value' }) });

export const MembersQuery = z.object({
  after: text().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const days = z.coerce.number({ message: 'bad_value' }).int('bad_value').min(1, 'days').max(30, 'days');

/** One or several addresses, separated by commas, semicolons, spaces or new lines. */
export const InviteEmailsInput = z.object({
  emails: z.union([text().max(20_000, 'too_long'), z.array(text()).max(200, 'too_many')]),
  days: days.default(14),
  role: z.enum(['admin', 'member'], { message: 'bad_value' }).default('member'),
  key: idempotencyKey,
});

export const InviteLinkInput = z.object({
  days: days.default(7),
  maxUses: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number({ message: 'bad_value' }).int('bad_value').min(1, 'bad_value').max(10_000, 'bad_value').optional()),
  key: idempotencyKey,
});

export const RevokeInvitationInput = z.object({ invitationId: fields.uuid });

export const InvitationTokenInput = z.object({ token: text().min(10, 'not_found').max(100, 'not_found') });
export const InvitationRef = z.object({ id: text().max(64, 'not_found') });

export const InvitationSignupInput = z.object({
  token: text().min(10, 'not_found').max(100, 'not_found'),
  name: fields.name,
  email: fields.email,
  password: fields.password,
  locale: fields.locale.default('fr'),
});

export const LinkInput = z.object({ title: visibleText(1, 120), url: fields.url, key: idempotencyKey });
export const LinkIdInput = z.object({ linkId: fields.uuid });
export const MoveLinkInput = z.object({ linkId: fields.uuid, direction: z.enum(['up', 'down'], { message: 'bad_value' }) });
