/**
 * How the matrix visits each route of src/routes: its targets (the group, discussion, room,
 * file… it is about, one per state), the status each actor must get on GET (from the policy),
 * and how each write (API method or form action) is probed. A write is only sent by actors
 * from whom its target is hidden, and must then answer exactly like a target that does not
 * exist; writes with no hidden target say why. A route missing here fails the matrix.
 */
import { can, isUser, type Ability, type Actor } from '../../../src/lib/server/policy';
import { newId } from '../../../src/lib/server/kernel/ids';
import { VISIBILITIES, type GroupWorld, type World } from './world';

export const MISSING = { id: newId(), slug: 'grp-nothere', handle: 'nobody_here', token: 'no-such-token-0123456789', mail: 'no-such-mail' };

export type Target = {
  label: string;
  params: Record<string, string>;
  query?: string;
  /** Real values and their stand-ins for "a thing that does not exist". */
  swap: [string, string][];
  /** The target is hidden from the actor: writes are probed, and answers must equal the missing thing's. */
  hidden: (a: Actor) => boolean;
  /** The status a GET must answer. */
  status: (a: Actor) => number;
  /** The group the target belongs to, for the bodies of writes. */
  g?: GroupWorld;
  /** Named in the bodies of writes only, not visited by GET. */
  probeOnly?: boolean;
};
/** A write sent to a target: a JSON body (API) or a form (page action). */
export type Write = { json?: (t: Target) => unknown; form?: (t: Target) => Record<string, string>; bySee?: boolean } | string;
export type RouteSpec = { targets: (w: World) => Target[]; writes?: Record<string, Write> };

type Api = boolean;
/** What `authorize` answers on a group's thing: allowed, else "not found" unless the group is readable, then sign in or forbidden. */
const gate = (ability: Ability, api: Api) => (g: GroupWorld) => (a: Actor) =>
  can(a, ability as 'group.read', g.facts) ? 200 : !can(a, 'group.read', g.facts) ? 404 : !isUser(a) ? (api ? 401 : 303) : 403;
const signedIn = (api: Api) => (a: Actor) => (isUser(a) ? 200 : api ? 401 : 303);
const admins = (api: Api) => (a: Actor) => (can(a, 'instance.admin') ? 200 : isUser(a) ? 403 : api ? 401 : 303);
/** The administration pages do not exist for anyone else. */
const adminPages = (a: Actor) => (can(a, 'instance.admin') ? 200 : 404);
const everyone = () => 200;
const only = (status: (a: Actor) => number): Target[] => [{ label: '', params: {}, swap: [], hidden: () => false, status }];
const unreadable = (g: GroupWorld) => (a: Actor) => !can(a, 'group.read', g.facts);
const unseen = (g: GroupWorld) => (a: Actor) => !can(a, 'group.see', g.facts);

/** One target per group: `params`/`query` from the group, status by `rule`. */
function perGroup(w: World, rule: (g: GroupWorld) => (a: Actor) => number, at: (g: GroupWorld) => { params?: Record<string, string>; query?: string } = (g) => ({ params: { slug: g.slug } }), hiddenBy = unreadable): Target[] {
  return VISIBILITIES.map((v) => {
    const g = w.groups[v];
    const files = Object.values(g.files);
    const { voter, ...decide } = g.decide;
    const ids = [g.id, g.discussionId, g.commentId, g.roomId, g.chatMessageId, g.linkId, g.invitationId, g.residentId, g.taskId, g.taskCommentId, g.checkItemId, g.labelId, g.columnId, ...files, ...(g.requestId ? [g.requestId] : []), ...Object.values(decide), voter.id];
    return { label: v, g, params: {}, ...at(g), swap: [[g.slug, MISSING.slug], ...ids.map((i): [string, string] => [i, MISSING.id])], hidden: hiddenBy(g), status: rule(g) };
  });
}
/** The working groups, on the routes that show a group's presentation. */
function subgroupTargets(w: World): Target[] {
  return Object.entries(w.subgroups).map(([label, g]) => {
    const sees = (a: Actor) => can(a, 'group.see', g.facts);
    return { label, params: { slug: g.slug }, swap: [[g.slug, MISSING.slug], [g.id, MISSING.id]], hidden: (a) => !sees(a), status: (a) => (sees(a) ? 200 : 404) };
  });
}
const bodyOnly = (ts: Target[]) => ts.map((t) => ({ ...t, probeOnly: true }));
/** Deciding and meeting: a poll's or an event's thing is read by whoever reads its group, "not found" for everyone else. */
const readsGroup = (g: GroupWorld) => (a: Actor) => (can(a, 'group.read', g.facts) ? 200 : 404);
const POLLS = ['datePollId', 'anonPollId', 'proposalId', 'decidedId'] as const;
/** One target per group and per poll (a date poll, an anonymous poll, a proposal, a decided one). */
const perPoll = (w: World, rule: (g: GroupWorld) => (a: Actor) => number, name = 'id') =>
  POLLS.flatMap((k) => perGroup(w, rule, (g) => ({ params: { [name]: g.decide[k] } })).map((t) => ({ ...t, label: `${t.label} ${k}` })));
/** The meeting of each group (an event with an agenda and minutes). */
const perEvent = (w: World, rule: (g: GroupWorld) => (a: Actor) => number, query?: string) => perGroup(w, rule, (g) => ({ params: { id: g.decide.eventId }, query }));
/** What an event's author or the group's admins may do: else "not found" unless the group is readable, then sign in or forbidden. */
const eventGate = (ability: 'event.manage') => (g: GroupWorld) => (a: Actor) =>
  can(a, ability, { group: g.facts, authorId: '', cancelled: false }) ? 200 : !can(a, 'group.read', g.facts) ? 404 : !isUser(a) ? 303 : 403;
/** Signed-in members of a readable group: visitors are asked to sign in. */
const readsSignedIn = (g: GroupWorld) => (a: Actor) => (!can(a, 'group.read', g.facts) ? 404 : isUser(a) ? 200 : 303);
/** Bodies of deciding's writes: the group's things, a kind, dates, answers. */
const decideForm = (t: Target): Record<string, string> => ({ ...groupForm(t), kind: 'proposal', timeZone: 'Europe/Brussels', deadlineDate: '2099-01-01', startDate: '2099-01-01', startTime: '19:00', answer: 'yes', position: 'agree', outcome: 'probe', itemId: t.g?.decide.agendaItemId ?? '', actionId: t.g?.decide.actionItemId ?? '', optionIds: '', meeting: t.g?.decide.eventId ?? '' });
const dForm: Write = { form: decideForm };
const dJson: Write = { json: decideForm };
const mailLink = 'the signed link is the credential (it names its member); without it, or with another, the page is "not found" for everyone (tested in the deciding feature)';
/** A discussion's things: readable, or "not found" for everyone else (visitors included). */
const readsDiscussion = (g: GroupWorld) => (a: Actor) => (can(a, 'discussion.read', { group: g.facts, authorId: '', lockedAt: null, deletedAt: null }) ? 200 : 404);
const byId = (key: 'discussionId' | 'commentId' | 'roomId' | 'chatMessageId' | 'taskId' | 'taskCommentId', name = 'id') => (g: GroupWorld) => ({ params: { [name]: g[key] } });
/** A task's things: readable like its group, or "not found" for everyone else (visitors included). */
const readsTask = (g: GroupWorld) => (a: Actor) => (can(a, 'task.read', { group: g.facts, authorId: '', deletedAt: null }) ? 200 : 404);

/** A form (or JSON body) naming everything a write could be about: the target group's things. */
function groupForm(t: Target): Record<string, string> {
  const g = t.g;
  const ids: Record<string, string> = g
    ? { groupSlug: g.slug, parent: g.slug, groupId: g.id, discussionId: g.discussionId, targetId: g.discussionId, reaction: `${g.discussionId} 👍`, commentId: g.commentId, roomId: g.roomId, messageId: g.chatMessageId, linkId: g.linkId, invitationId: g.invitationId, userId: g.residentId, requestId: g.requestId ?? MISSING.id, taskId: g.taskId, itemId: g.checkItemId, columnId: g.columnId, labelId: g.labelId }
    : {};
  return { body: 'probe', title: 'probe', name: 'probe', message: 'probe', url: 'https://example.org', emails: 'probe@example.org', role: 'admin', level: 'all', direction: 'up', decision: 'approve', on: '1', key: 'probe-key-0001', emoji: '👍', version: '1', position: '0', text: 'probe', done: '1', ...ids };
}
const form = (bySee = false): Write => ({ form: groupForm, bySee });
const json = (bySee = false): Write => ({ json: groupForm, bySee });
const own = 'acts on the actor’s own account: nothing of anyone else’s to hide';
const noTarget = 'names no group, discussion, room or person: nothing to hide';
const token = 'the link is the credential; unknown links answer alike for everyone (tested in the invitations, accounts and e-mail features)';

export function routeTable(w: World): Record<string, RouteSpec> {
  const dmTarget = (status: (a: Actor) => number, params: Record<string, string>): Target => ({ label: 'direct', params, swap: [[w.dm.roomId, MISSING.id], [w.dm.messageId, MISSING.id]], hidden: (a) => !can(a, 'dm.read', { participantIds: w.dm.participants }), status });
  const dmRead = (a: Actor) => (can(a, 'dm.read', { participantIds: w.dm.participants }) ? 200 : 404);
  const dmForm = () => ({ roomId: w.dm.roomId, messageId: w.dm.messageId, key: 'probe-key-0001', body: 'probe', emoji: '👍', title: 'probe' });
  const chatRead = (g: GroupWorld) => gate('chat.read', true)(g);
  const rooms = (status: (g: GroupWorld) => (a: Actor) => number, key: 'roomId' | 'chatMessageId') => (x: World) => [...perGroup(x, status, byId(key)), dmTarget(dmRead, { id: key === 'roomId' ? x.dm.roomId : x.dm.messageId })];
  const files = (kinds: (keyof GroupWorld['files'])[]) => (x: World) =>
    VISIBILITIES.flatMap((v) =>
      kinds.map((k): Target => {
        const g = x.groups[v];
        // The files of deleted comments and messages are gone for everyone.
        const ok = (a: Actor) =>
          k === 'cover' ? can(a, 'group.see', g.facts) : k === 'chat' ? can(a, 'chat.read', g.facts) : k.startsWith('deleted') ? false : k === 'task' ? can(a, 'task.read', { group: g.facts, authorId: '', deletedAt: null }) : can(a, 'discussion.read', { group: g.facts, authorId: '', lockedAt: null, deletedAt: null });
        return { label: `${v} ${k}`, params: { id: g.files[k] }, swap: [[g.files[k], MISSING.id]], hidden: (a) => !ok(a), status: (a) => (ok(a) ? 200 : 404) };
      }),
    );
  const profile = (x: World): Target[] => [{ label: 'member', params: { handle: x.users.member.handle }, swap: [[x.users.member.handle, MISSING.handle]], hidden: (a) => !can(a, 'user.see'), status: (a) => (can(a, 'user.see') ? 200 : 404) }];
  const drafts = (x: World): Target[] =>
    (['closed', 'secret'] as const).map((v) => {
      const g = x.groups[v];
      const key = v === 'closed' ? x.drafts.member : x.drafts.outsider;
      return { label: v, params: { key }, swap: [[g.id, MISSING.id]], hidden: unreadable(g), status: (a) => (isUser(a) ? gate('discussion.create', true)(g)(a) : 401) };
    });

  return {
    // Pages
    '/': { targets: () => only(everyone), writes: { 'POST ?/dismissChecklist': own, 'POST ?/join': 'joins an open group by its slug through group.join: a hidden or closed group answers as a missing one (tested in the groups feature)', 'POST ?/taskDone': 'completes a task through tasks.complete: a task the member may not read answers as a missing one (tested in the tasks feature)', 'POST ?/rsvp': 'answers an event through decide.rsvp (event.rsvp): an event the member may not read answers as a missing one (tested in the deciding feature)' } },
    '/admin': { targets: () => only(adminPages), writes: { POST: noTarget } },
    '/admin/outbox': { targets: () => only(adminPages) },
    '/admin/outbox/[id]': { targets: (x) => [{ label: 'mail', params: { id: x.outboxId }, swap: [[x.outboxId, MISSING.mail]], hidden: (a) => !can(a, 'instance.outbox'), status: (a) => (can(a, 'instance.outbox') ? 200 : 404) }] },
    '/admin/users': { targets: () => only(adminPages), writes: { 'POST ?/admin': noTarget, 'POST ?/disable': noTarget } },
    '/d/[id]': { targets: (x) => perGroup(x, readsDiscussion, byId('discussionId')), writes: Object.fromEntries(['delete', 'deleteComment', 'lock', 'pin', 'react', 'reply'].map((n) => [`POST ?/${n}`, form()])) },
    '/d/[id]/comments/[commentId]/edit': { targets: (x) => perGroup(x, readsDiscussion, (g) => ({ params: { id: g.discussionId, commentId: g.commentId } })), writes: { POST: form() } },
    '/d/[id]/edit': { targets: (x) => perGroup(x, readsDiscussion, byId('discussionId')), writes: { POST: form() } },
    '/d/[id]/react/[targetId]': { targets: (x) => perGroup(x, readsDiscussion, (g) => ({ params: { id: g.discussionId, targetId: g.commentId } })) },
    '/email/address/[token]': { targets: () => [{ label: 'unknown', params: { token: MISSING.token }, swap: [], hidden: () => false, status: () => 404 }], writes: { 'POST ?/confirm': token } },
    '/email/confirm/[token]': { targets: () => [{ label: 'unknown', params: { token: MISSING.token }, swap: [], hidden: () => false, status: () => 404 }], writes: { 'POST ?/post': token } },
    '/email/unsubscribe/[token]': { targets: () => [{ label: 'unknown', params: { token: MISSING.token }, swap: [], hidden: () => false, status: () => 404 }], writes: { 'POST ?/confirm': token } },
    '/forgot': { targets: () => only(everyone), writes: { POST: noTarget } },
    '/groups': { targets: () => only(everyone) },
    '/groups/[slug]': { targets: (x) => [...perGroup(x, gate('group.see', false), undefined, unseen), ...subgroupTargets(x)], writes: { 'POST ?/join': form(true), 'POST ?/request': form(true), 'POST ?/leave': form() } },
    '/groups/[slug]/chat': { targets: (x) => perGroup(x, gate('chat.read', false)), writes: Object.fromEntries(['delete', 'discussion', 'edit', 'react', 'send'].map((n) => [`POST ?/${n}`, form()])) },
    '/groups/[slug]/discussions': { targets: (x) => perGroup(x, gate('group.read', false)), writes: { 'POST ?/markAllRead': form() } },
    '/groups/[slug]/discussions/new': { targets: (x) => perGroup(x, gate('discussion.create', false)), writes: { POST: form() } },
    '/groups/[slug]/edit': { targets: (x) => perGroup(x, gate('group.manage', false)), writes: Object.fromEntries(['addLink', 'cover', 'moveLink', 'removeCover', 'removeLink', 'save'].map((n) => [`POST ?/${n}`, form()])) },
    '/groups/[slug]/email': { targets: (x) => perGroup(x, gate('email.groupSettings', false)), writes: { POST: form() } },
    '/groups/[slug]/invite': { targets: (x) => perGroup(x, gate('group.invite', false)), writes: { 'POST ?/email': form(), 'POST ?/link': form(), 'POST ?/revoke': form() } },
    '/groups/[slug]/members': { targets: (x) => perGroup(x, gate('group.members', false)), writes: { 'POST ?/remove': form(), 'POST ?/role': form() } },
    '/groups/[slug]/requests': { targets: (x) => perGroup(x, gate('group.manage', false)), writes: { POST: form() } },
    '/groups/[slug]/tasks': { targets: (x) => [...perGroup(x, gate('group.read', false)), ...perGroup(x, gate('group.read', false), (g) => ({ params: { slug: g.slug }, query: '?view=list&sort=title' })).map((t) => ({ ...t, label: `${t.label} list` }))], writes: Object.fromEntries(['create', 'move', 'take'].map((n) => [`POST ?/${n}`, form()])) },
    '/groups/[slug]/tasks/new': { targets: (x) => [...perGroup(x, gate('task.create', false)), ...perGroup(x, gate('task.create', false), (g) => ({ params: { slug: g.slug }, query: `?from=comment:${g.commentId}` })).map((t) => ({ ...t, label: `${t.label} from a reply` }))], writes: { POST: form() } },
    '/groups/[slug]/tasks/settings': { targets: (x) => perGroup(x, gate('group.read', false)), writes: Object.fromEntries(['addColumn', 'editColumn', 'removeColumn', 'addLabel', 'editLabel', 'removeLabel', 'timeZone'].map((n) => [`POST ?/${n}`, form()])) },
    '/groups/invite': { targets: () => only(admins(false)), writes: { 'POST ?/email': noTarget, 'POST ?/link': noTarget, 'POST ?/revoke': noTarget } },
    '/groups/new': { targets: (x) => [...only(admins(false)), ...perGroup(x, gate('group.createSub', false), (g) => ({ query: `?parent=${g.slug}` }))], writes: { POST: form() } },
    // An invitation opens only for the member it was sent to (their address): for anyone else, missing.
    '/invitations/[id]': { targets: () => [{ label: 'unknown', params: { id: MISSING.id }, swap: [], hidden: () => false, status: (a) => (isUser(a) ? 404 : 303) }], writes: { 'POST ?/join': 'joins only through an invitation sent to the actor’s own address: anyone else’s answers as missing (tested in the notifications feature)' } },
    '/invite/[token]': { targets: () => [{ label: 'unknown', params: { token: MISSING.token }, swap: [], hidden: () => false, status: () => 404 }], writes: { 'POST ?/join': token, 'POST ?/signup': token } },
    '/language': { targets: () => only(() => 303), writes: { POST: own } },
    '/login': { targets: () => only((a) => (isUser(a) ? 303 : 200)), writes: { 'POST ?/login': noTarget, 'POST ?/magic': noTarget } },
    '/logout': { targets: () => only((a) => (isUser(a) ? 200 : 303)), writes: { POST: own } },
    '/magic/[token]': { targets: () => [{ label: 'unknown', params: { token: MISSING.token }, swap: [], hidden: () => false, status: everyone }], writes: { POST: token } },
    '/inbox': { targets: () => only(signedIn(false)), writes: { 'POST ?/all': own, 'POST ?/read': own } },
    // A notification opens only for its member, while they may read what it is about: the outsider's own, about the secret group, is as missing as any.
    '/inbox/open/[id]': { targets: (x) => [{ label: 'stale', params: { id: x.staleNotificationId }, swap: [[x.staleNotificationId, MISSING.id]], hidden: (a) => isUser(a), status: (a) => (isUser(a) ? 404 : 303) }] },
    '/messages': { targets: () => only(signedIn(false)), writes: { 'POST ?/start': 'opens a conversation with members by handle: any member may write to any member (dm.start)' } },
    '/messages/[id]': { targets: (x) => [dmTarget(dmRead, { id: x.dm.roomId })], writes: Object.fromEntries(['delete', 'discussion', 'edit', 'react', 'send'].map((n) => [`POST ?/${n}`, { form: dmForm }])) },
    '/profile': { targets: () => only(signedIn(false)), writes: { 'POST ?/avatar': own, 'POST ?/removeAvatar': own, 'POST ?/save': own } },
    '/profile/email': { targets: (x) => [...only(signedIn(false)), ...bodyOnly(perGroup(x, () => signedIn(false), () => ({})))], writes: { 'POST ?/save': own, 'POST ?/group': form(), 'POST ?/confirmAddress': own } },
    '/profile/devices': { targets: () => only(signedIn(false)), writes: { 'POST ?/rename': own, 'POST ?/remove': own } },
    '/manifest.webmanifest': { targets: () => only(everyone) },
    '/profile/notifications': { targets: () => only(signedIn(false)), writes: { POST: own } },
    '/profile/security': { targets: () => only(signedIn(false)), writes: { 'POST ?/password': own, 'POST ?/revoke': own, 'POST ?/everywhere': own } },
    '/profile/tokens': { targets: () => only(() => 308) },
    '/profile/advanced': { targets: () => only(signedIn(false)), writes: { 'POST ?/create': own, 'POST ?/revoke': own } },
    '/register': { targets: () => only((a) => (isUser(a) ? 303 : 200)), writes: { POST: noTarget } },
    '/reset/[token]': { targets: () => [{ label: 'unknown', params: { token: MISSING.token }, swap: [], hidden: () => false, status: everyone }], writes: { POST: token } },
    '/tasks': { targets: (x) => [...only(signedIn(false)), { label: 'with done ones', params: {}, query: '?done=1', swap: [], hidden: () => false, status: signedIn(false) }, ...bodyOnly(perGroup(x, () => signedIn(false), () => ({})))], writes: { 'POST ?/done': form() } },
    '/tasks/[id]': { targets: (x) => perGroup(x, readsTask, byId('taskId')), writes: Object.fromEntries(['edit', 'props', 'move', 'take', 'done', 'checkAdd', 'checkToggle', 'checkEdit', 'checkRemove', 'comment', 'deleteComment', 'react', 'delete'].map((n) => [`POST ?/${n}`, form()])) },
    '/tasks/[id]/react/[targetId]': { targets: (x) => perGroup(x, readsTask, (g) => ({ params: { id: g.taskId, targetId: g.taskCommentId } })) },
    '/tasks/[id]/mail/[action]': { targets: (x) => [{ label: 'unknown', params: { id: x.groups.closed.taskId, action: 'done' }, query: `?t=${MISSING.token}`, swap: [], hidden: () => false, status: () => 404 }], writes: { POST: token } },
    '/search': { targets: () => [{ label: 'plantation', params: {}, query: '?q=plantation', swap: [], hidden: () => false, status: everyone }] },
    '/setup': { targets: () => only(() => 303), writes: { POST: 'the association exists: setup is closed to everyone' } },
    '/u/[handle]': { targets: profile },
    // Deciding and meeting
    '/calendar': { targets: () => only(signedIn(false)), writes: { 'POST ?/renew': own } },
    '/calendar/groups/[slug]': { targets: (x) => perGroup(x, readsGroup) },
    '/calendar/me/[token]': { targets: () => [{ label: 'unknown', params: { token: MISSING.token }, swap: [], hidden: () => false, status: () => 404 }] },
    '/events/[id]': { targets: (x) => perEvent(x, readsGroup), writes: Object.fromEntries(['rsvp', 'cancel', 'addItem', 'removeItem', 'moveItem'].map((n) => [`POST ?/${n}`, dForm])) },
    '/events/[id]/edit': { targets: (x) => perEvent(x, eventGate('event.manage')), writes: { POST: dForm } },
    '/events/[id]/from-mail': { targets: (x) => perEvent(x, () => () => 404), writes: { POST: mailLink } },
    '/events/[id]/ics': { targets: (x) => perEvent(x, readsGroup) },
    '/events/[id]/minutes': { targets: (x) => perEvent(x, readsGroup), writes: { 'POST ?/save': dForm, 'POST ?/removeAction': dForm } },
    '/groups/[slug]/agenda': { targets: (x) => [...perGroup(x, gate('group.read', false)), ...perGroup(x, gate('group.read', false), (g) => ({ params: { slug: g.slug }, query: `?month=${new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 7)}` }))] },
    '/groups/[slug]/agenda/add': { targets: (x) => perGroup(x, readsSignedIn, (g) => ({ params: { slug: g.slug }, query: `?discussion=${g.discussionId}` })), writes: { POST: dForm } },
    '/groups/[slug]/decisions': { targets: (x) => [...perGroup(x, gate('group.read', false)), ...perGroup(x, gate('group.read', false), (g) => ({ params: { slug: g.slug }, query: '?q=adoptee' }))] },
    '/groups/[slug]/events/new': { targets: (x) => perGroup(x, gate('event.create', false)), writes: { POST: dForm } },
    '/groups/[slug]/polls': { targets: (x) => perGroup(x, gate('group.read', false)), writes: { 'POST ?/guests': dForm } },
    '/groups/[slug]/polls/new': { targets: (x) => perGroup(x, gate('poll.create', false)), writes: { POST: dForm } },
    '/polls/[id]': { targets: (x) => perPoll(x, readsGroup), writes: Object.fromEntries(['answer', 'vote', 'respond', 'close', 'remove'].map((n) => [`POST ?/${n}`, dForm])) },
    '/polls/[id]/from-mail': { targets: (x) => perPoll(x, () => () => 404), writes: { POST: mailLink } },
    '/polls/guest/[token]': { targets: () => [{ label: 'unknown', params: { token: MISSING.token }, swap: [], hidden: () => false, status: () => 404 }], writes: { 'POST ?/answer': token } },
    // Files and health
    '/files/[id]': { targets: (x) => [...files(['cover', 'discussion', 'comment', 'image', 'chat', 'deletedComment', 'deletedChat', 'task', 'deletedTaskComment'])(x), ...profile(x).map((t) => ({ ...t, label: 'avatar', params: { id: x.avatarId }, swap: [[x.avatarId, MISSING.id]] as [string, string][] }))] },
    '/files/[id]/preview': { targets: files(['image']) },
    '/healthz': { targets: () => only(everyone) },
    // JSON API
    '/api/v1/chat/people': { targets: () => [{ label: 'search', params: {}, query: '?q=a', swap: [], hidden: () => false, status: signedIn(true) }] },
    '/api/v1/chat/unread': { targets: () => only(signedIn(true)) },
    '/api/v1/chat/direct': { targets: () => only(signedIn(true)), writes: { POST: 'opens a conversation with members by handle: any member may write to any member (dm.start)' } },
    '/api/v1/chat/groups/[slug]': { targets: (x) => perGroup(x, chatRead) },
    '/api/v1/chat/messages/[id]': { targets: rooms(chatRead, 'chatMessageId'), writes: { PATCH: json(), DELETE: json() } },
    '/api/v1/chat/messages/[id]/discussion': { targets: rooms(chatRead, 'chatMessageId'), writes: { POST: json() } },
    '/api/v1/chat/messages/[id]/reactions': { targets: rooms(chatRead, 'chatMessageId'), writes: { POST: json() } },
    '/api/v1/chat/rooms/[id]/events': { targets: rooms(chatRead, 'roomId') },
    '/api/v1/chat/rooms/[id]/messages': { targets: rooms(chatRead, 'roomId'), writes: { POST: json() } },
    '/api/v1/chat/rooms/[id]/read': { targets: rooms(chatRead, 'roomId'), writes: { POST: { json: () => ({ seq: 1 }) } } },
    '/api/v1/discussions': { targets: (x) => perGroup(x, gate('group.read', true), (g) => ({ query: `?group=${g.slug}` })), writes: { POST: json() } },
    '/api/v1/discussions/[id]': { targets: (x) => perGroup(x, readsDiscussion, byId('discussionId')), writes: { PATCH: json(), DELETE: json() } },
    '/api/v1/discussions/[id]/comments': { targets: (x) => perGroup(x, readsDiscussion, byId('discussionId')), writes: { POST: json() } },
    '/api/v1/discussions/[id]/lock': { targets: (x) => perGroup(x, readsDiscussion, byId('discussionId')), writes: { POST: json() } },
    '/api/v1/discussions/[id]/pin': { targets: (x) => perGroup(x, readsDiscussion, byId('discussionId')), writes: { POST: json() } },
    '/api/v1/discussions/[id]/read': { targets: (x) => perGroup(x, readsDiscussion, byId('discussionId')), writes: { POST: json() } },
    '/api/v1/discussions/comments/[commentId]': { targets: (x) => perGroup(x, readsDiscussion, byId('commentId', 'commentId')), writes: { PATCH: json(), DELETE: json() } },
    '/api/v1/discussions/reactions': { targets: (x) => perGroup(x, readsDiscussion, () => ({})), writes: { POST: json() } },
    '/api/v1/discussions/read-all': { targets: (x) => perGroup(x, readsDiscussion, () => ({})), writes: { POST: json() } },
    '/api/v1/drafts/[key]': { targets: drafts, writes: { PUT: { json: () => ({ title: 'probe', body: 'probe' }) }, DELETE: 'removes the actor’s own draft under a key, if any: the same answer for any key' } },
    '/api/v1/groups': { targets: (x) => [...only(everyone), ...bodyOnly(perGroup(x, () => everyone, () => ({})))], writes: { POST: json() } },
    '/api/v1/groups/[slug]': { targets: (x) => [...perGroup(x, gate('group.see', true), undefined, unseen), ...subgroupTargets(x)], writes: { PATCH: json() } },
    '/api/v1/groups/[slug]/invitations': { targets: (x) => perGroup(x, gate('group.invite', true)), writes: { POST: json() } },
    '/api/v1/groups/[slug]/invitations/[id]': { targets: (x) => perGroup(x, gate('group.invite', true), (g) => ({ params: { slug: g.slug, id: g.invitationId } })), writes: { DELETE: json() } },
    '/api/v1/groups/[slug]/join': { targets: (x) => perGroup(x, gate('group.join', true)), writes: { POST: json(true) } },
    '/api/v1/groups/[slug]/leave': { targets: (x) => perGroup(x, gate('group.leave', true)), writes: { POST: json() } },
    '/api/v1/groups/[slug]/links': { targets: (x) => perGroup(x, gate('group.manage', true)), writes: { POST: json() } },
    '/api/v1/groups/[slug]/links/[id]': { targets: (x) => perGroup(x, gate('group.manage', true), (g) => ({ params: { slug: g.slug, id: g.linkId } })), writes: { DELETE: json() } },
    '/api/v1/groups/[slug]/links/[id]/move': { targets: (x) => perGroup(x, gate('group.manage', true), (g) => ({ params: { slug: g.slug, id: g.linkId } })), writes: { POST: json() } },
    '/api/v1/groups/[slug]/members': { targets: (x) => perGroup(x, gate('group.members', true)) },
    '/api/v1/groups/[slug]/members/[userId]': { targets: (x) => perGroup(x, gate('group.manage', true), (g) => ({ params: { slug: g.slug, userId: g.residentId } })), writes: { PATCH: json(), DELETE: json() } },
    '/api/v1/groups/[slug]/mention-candidates': { targets: (x) => perGroup(x, gate('group.read', true), (g) => ({ params: { slug: g.slug }, query: '?q=' })) },
    '/api/v1/groups/[slug]/requests': { targets: (x) => perGroup(x, gate('group.manage', true)), writes: { POST: json(true) } },
    '/api/v1/groups/[slug]/requests/[id]/approve': { targets: (x) => perGroup(x, gate('group.manage', true), (g) => ({ params: { slug: g.slug, id: x.groups.closed.requestId! } })), writes: { POST: json() } },
    '/api/v1/groups/[slug]/requests/[id]/refuse': { targets: (x) => perGroup(x, gate('group.manage', true), (g) => ({ params: { slug: g.slug, id: x.groups.closed.requestId! } })), writes: { POST: json() } },
    '/api/v1/me': { targets: () => only(signedIn(true)), writes: { PATCH: own } },
    '/api/v1/me/email': { targets: () => only(signedIn(true)), writes: { PUT: own } },
    '/api/v1/me/email/groups': { targets: (x) => perGroup(x, gate('email.groupSettings', true), () => ({})), writes: { PUT: json() } },
    '/api/v1/me/devices': { targets: () => only(signedIn(true)), writes: { POST: own } },
    '/api/v1/me/devices/[id]': { targets: () => [{ label: 'unknown', params: { id: MISSING.id }, swap: [], hidden: () => false, status: () => 405 }], writes: { PATCH: own, DELETE: own } },
    '/api/v1/me/devices/unsubscribe': { targets: () => only(() => 405), writes: { POST: own } },
    '/api/v1/me/notifications': { targets: () => only(signedIn(true)) },
    '/api/v1/me/notifications/read': { targets: () => only(() => 405), writes: { POST: own } },
    '/api/v1/me/notifications/preferences': { targets: () => only(signedIn(true)), writes: { PUT: own } },
    '/api/v1/me/sessions': { targets: () => only(signedIn(true)), writes: { DELETE: own } },
    '/api/v1/me/tokens': { targets: () => only(signedIn(true)), writes: { POST: own } },
    '/api/v1/me/tokens/[id]': {
      targets: (x) => (['outsider', 'member'] as const).map((who) => ({ label: who, params: { id: x.tokens[who].id }, swap: [[x.tokens[who].id, MISSING.id]], hidden: (a: Actor) => !(isUser(a) && a.userId === x.users[who].id), status: () => 405 })),
      writes: { DELETE: { json: () => ({}) } },
    },
    '/api/v1/openapi.json': { targets: () => only(everyone) },
    '/api/v1/polls': { targets: (x) => perGroup(x, gate('group.read', true), (g) => ({ query: `?group=${g.slug}` })), writes: { POST: dJson } },
    '/api/v1/polls/decisions': { targets: (x) => perGroup(x, gate('group.read', true), (g) => ({ query: `?group=${g.slug}&q=adoptee` })) },
    '/api/v1/polls/[id]': { targets: (x) => perPoll(x, readsGroup), writes: { DELETE: dJson } },
    '/api/v1/polls/[id]/answer': { targets: (x) => perPoll(x, readsGroup), writes: { POST: dJson } },
    '/api/v1/polls/[id]/close': { targets: (x) => perPoll(x, readsGroup), writes: { POST: dJson } },
    '/api/v1/polls/[id]/respond': { targets: (x) => perPoll(x, readsGroup), writes: { POST: dJson } },
    '/api/v1/polls/[id]/vote': { targets: (x) => perPoll(x, readsGroup), writes: { POST: dJson } },
    '/api/v1/events': { targets: (x) => perGroup(x, gate('group.read', true), (g) => ({ query: `?group=${g.slug}` })), writes: { POST: dJson } },
    '/api/v1/events/[id]': { targets: (x) => perEvent(x, readsGroup), writes: { PATCH: dJson } },
    '/api/v1/events/[id]/agenda': { targets: (x) => perEvent(x, readsGroup), writes: { POST: dJson } },
    '/api/v1/events/[id]/cancel': { targets: (x) => perEvent(x, readsGroup), writes: { POST: dJson } },
    '/api/v1/events/[id]/minutes': { targets: (x) => perEvent(x, readsGroup), writes: { PUT: dJson } },
    '/api/v1/events/[id]/rsvp': { targets: (x) => perEvent(x, readsGroup), writes: { POST: dJson } },
    '/api/v1/preview': { targets: () => only(signedIn(true)), writes: { POST: noTarget } },
    '/api/v1/search': { targets: () => [{ label: 'plantation', params: {}, query: '?q=plantation', swap: [], hidden: () => false, status: everyone }] },
    '/api/v1/tasks': { targets: (x) => [...only(signedIn(true)), ...bodyOnly(perGroup(x, () => signedIn(true), () => ({})))], writes: { POST: json() } },
    '/api/v1/tasks/[id]': { targets: (x) => perGroup(x, readsTask, byId('taskId')), writes: { PATCH: json(), DELETE: json() } },
    '/api/v1/tasks/[id]/activity': { targets: (x) => perGroup(x, readsTask, byId('taskId')) },
    '/api/v1/tasks/[id]/checklist': { targets: (x) => perGroup(x, readsTask, byId('taskId')), writes: { POST: json() } },
    '/api/v1/tasks/[id]/checklist/[itemId]': { targets: (x) => perGroup(x, readsTask, (g) => ({ params: { id: g.taskId, itemId: g.checkItemId } })), writes: { PATCH: json(), DELETE: json() } },
    '/api/v1/tasks/[id]/comments': { targets: (x) => perGroup(x, readsTask, byId('taskId')), writes: { POST: json() } },
    '/api/v1/tasks/[id]/complete': { targets: (x) => perGroup(x, readsTask, byId('taskId')), writes: { POST: json() } },
    '/api/v1/tasks/[id]/move': { targets: (x) => perGroup(x, readsTask, byId('taskId')), writes: { POST: json() } },
    '/api/v1/tasks/[id]/take': { targets: (x) => perGroup(x, readsTask, byId('taskId')), writes: { POST: json() } },
    '/api/v1/tasks/boards/[slug]': { targets: (x) => perGroup(x, gate('group.read', true)) },
    '/api/v1/tasks/boards/[slug]/columns': { targets: (x) => perGroup(x, gate('task.columns', true)), writes: { POST: json() } },
    '/api/v1/tasks/boards/[slug]/columns/[id]': { targets: (x) => perGroup(x, gate('task.columns', true), (g) => ({ params: { slug: g.slug, id: g.columnId } })), writes: { PATCH: json(), DELETE: json() } },
    '/api/v1/tasks/boards/[slug]/labels': { targets: (x) => perGroup(x, gate('group.read', true)), writes: { POST: json() } },
    '/api/v1/tasks/boards/[slug]/labels/[id]': { targets: (x) => perGroup(x, gate('task.labels', true), (g) => ({ params: { slug: g.slug, id: g.labelId } })), writes: { PATCH: json(), DELETE: json() } },
    '/api/v1/tasks/boards/[slug]/list': { targets: (x) => perGroup(x, gate('group.read', true)) },
    '/api/v1/tasks/comments/[commentId]': { targets: (x) => perGroup(x, readsTask, byId('taskCommentId', 'commentId')), writes: { DELETE: json() } },
    '/api/v1/tasks/reactions': { targets: (x) => perGroup(x, readsTask, () => ({})), writes: { POST: { json: (t) => ({ targetId: t.g!.taskCommentId, emoji: '👍' }) } } },
    '/api/v1/session': { targets: () => only(everyone), writes: { POST: noTarget, DELETE: own } },
    '/api/v1/users/[handle]': { targets: profile },
  };
}
