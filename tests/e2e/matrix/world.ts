/**
 * The leak matrix's world: one association, five actors, an open, a closed and a secret
 * group, and every field of every object carrying its own marker (`zq<scope><field>qz`,
 * lower-case letters only, so it survives HTML, JSON, URLs' encoding and e-mail
 * lower-casing). Seeded once through the services where they exist (so counters, search rows,
 * rooms and notifications are real), by direct inserts where a service needs a browser
 * (uploaded bytes) or where the state cannot be reached any more (a former member's draft).
 * No marker is ever put into a URL, a slug or a handle: pages echo their own URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../../src/lib/server/app';
import type { Visibility } from '../../../src/lib/server/db/schema';
import { insertUser } from '../../../src/lib/server/domain/accounts/users';
import { newId, type UserId } from '../../../src/lib/server/kernel/ids';
import type { Actor, GroupFacts } from '../../../src/lib/server/policy';
import { seedDecide, type DecideWorld } from './decide-world';

export const ACTORS = ['visitor', 'outsider', 'member', 'groupAdmin', 'instanceAdmin'] as const;
export type ActorName = (typeof ACTORS)[number];
export const VISIBILITIES = ['open', 'closed', 'secret'] as const;

/** The marker of one field. */
export const mk = (scope: string, field: string) => `zq${scope}${field}qz`;
/** Reactions carry no text: each group's reactions use their own emoji (discussion palette, any emoji in chat). */
export const REACTION = {
  open: { discussion: '🎉', comment: '😄', chat: '🦔' },
  closed: { discussion: '🤔', comment: '❤️', chat: '🦩' },
  secret: { discussion: '👀', comment: '👍', chat: '🦚' },
} as const;

export type GroupWorld = {
  vis: Visibility;
  id: string;
  slug: string;
  facts: GroupFacts;
  residentId: string;
  residentHandle: string;
  discussionId: string;
  commentId: string;
  /** An attachment of the discussion, one of the comment, an image (with a preview) of the comment. */
  files: { discussion: string; comment: string; image: string; cover: string; chat: string; deletedComment: string; deletedChat: string; task: string; deletedTaskComment: string };
  linkId: string;
  roomId: string;
  chatMessageId: string;
  invitationId: string;
  requestId: string | null;
  /** A task with every field marked (made from the reply), its comment, checklist line, label and renamed column. */
  taskId: string;
  taskCommentId: string;
  checkItemId: string;
  labelId: string;
  columnId: string;
  /** Polls, a decided proposal, a meeting with its agenda and minutes. */
  decide: DecideWorld;
};

export type World = {
  users: Record<Exclude<ActorName, 'visitor'>, { id: string; handle: string }>;
  actors: Record<ActorName, Actor>;
  cookies: Record<ActorName, string>;
  groups: Record<Visibility, GroupWorld>;
  /** Working groups across visibilities: a secret one in the open group, an open one in the secret group. */
  subgroups: Record<'secretInOpen' | 'openInSecret', { id: string; slug: string; facts: GroupFacts }>;
  dm: { roomId: string; messageId: string; participants: string[] };
  tokens: Record<Exclude<ActorName, 'visitor'>, { id: string; secret: string }>;
  avatarId: string;
  outboxId: string;
  /** A notification of the outsider about the secret discussion they may no longer read. */
  staleNotificationId: string;
  /** Drafts: the member's in the closed group; the outsider's, left behind in the secret group. */
  drafts: { member: string; outsider: string };
};

/** Writes a stored file's bytes where the files service reads them. */
function writeFile(app: App, id: string, content: string, variant = '') {
  const dir = path.join(app.config.dataDir, 'files', id.slice(-2));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, id + variant), content);
}

async function insertFile(app: App, f: { ownerId: string; purpose: 'attachment' | 'avatar' | 'cover'; groupId?: string; discussionId?: string; commentId?: string; chatMessageId?: string; taskId?: string; taskCommentId?: string; name: string; content: string; preview?: string }) {
  const id = newId();
  writeFile(app, id, f.content);
  if (f.preview) writeFile(app, id, f.preview, '.preview.webp');
  await app.db
    .insertInto('files')
    .values({
      id, ownerId: f.ownerId, purpose: f.purpose, groupId: f.groupId ?? null, discussionId: f.discussionId ?? null, commentId: f.commentId ?? null, chatMessageId: f.chatMessageId ?? null, taskId: f.taskId ?? null, taskCommentId: f.taskCommentId ?? null,
      name: f.name, mime: f.preview ? 'image/png' : f.purpose === 'attachment' ? 'application/pdf' : 'image/webp', size: f.content.length, width: null, height: null, hasPreview: f.preview ? 1 : 0, createdAt: new Date().toISOString(),
    })
    .execute();
  return id;
}

/** Seeds everything; `app` is the server's own app object. */
export async function seedWorld(app: App): Promise<World> {
  const now = () => new Date().toISOString();
  await app.instance.setup({ associationName: 'Matrice', name: 'Irène Instance', email: `${mk('instadmin', 'email')}@example.org`, password: 'a long password' });
  const instanceAdmin = (await app.db.selectFrom('users').select(['id', 'handle']).where('isAdmin', '=', 1).executeTakeFirstOrThrow());
  const user = async (name: string, handle: string, email: string) => {
    const u = await insertUser(app.deps, app.db, { name, handle, email });
    return { id: u.id as string, handle: u.handle };
  };
  const users = {
    instanceAdmin,
    groupAdmin: await user('Gaston Groupe', 'gaston', `${mk('groupadmin', 'email')}@example.org`),
    member: await user('Mia Membre', 'mia', `${mk('member', 'email')}@example.org`),
    outsider: await user('Otto Dehors', 'otto', `${mk('outsider', 'email')}@example.org`),
  };
  const actorOf = (id: string) => app.sessions.actorFor(id as UserId);

  const groups = {} as Record<Visibility, GroupWorld>;
  for (const vis of VISIBILITIES) {
    const m = (field: string) => mk(vis, field);
    const id = newId();
    const slug = `grp-${vis}`;
    const resident = await user(m('residentname'), `resident_${vis}`, `${m('residentemail')}@example.org`);
    await app.db.insertInto('groups').values({ id, parentId: null, name: m('name'), slug, description: `Présentation ${m('desc')}`, coverFileId: null, visibility: vis, createdBy: users.groupAdmin.id, createdAt: now(), lastSeq: 0, discussionCount: 0, memberCount: 3, lastActivityAt: now() }).execute();
    await app.db.insertInto('memberships').values([
      { groupId: id, userId: users.groupAdmin.id, role: 'admin', createdAt: now(), readFloorSeq: 0, unreadCount: 0 },
      { groupId: id, userId: users.member.id, role: 'member', createdAt: now(), readFloorSeq: 0, unreadCount: 0 },
      { groupId: id, userId: resident.id, role: 'member', createdAt: now(), readFloorSeq: 0, unreadCount: 0 },
    ]).execute();
    const admin = await actorOf(users.groupAdmin.id);
    const residentActor = await actorOf(resident.id);
    const memberActor = await actorOf(users.member.id);
    const cover = await insertFile(app, { ownerId: users.groupAdmin.id, purpose: 'cover', groupId: id, name: 'cover.webp', content: `RIFF ${m('cover')}` });
    await app.db.updateTable('groups').set({ coverFileId: cover }).where('id', '=', id).execute();
    const link = await app.groups.addLink(admin, slug, { title: `Drive ${m('linktitle')}`, url: `https://drive.example.org/${m('linkurl')}` });
    const d = await app.discussions.create(admin, { groupSlug: slug, title: `Titre ${m('title')}`, body: `Corps ${m('body')} plantation` });
    // The resident answers and mentions the member: a notification for the member's home.
    const c = await app.discussions.reply(residentActor, { discussionId: d.id, body: `Réponse ${m('comment')} plantation @mia` });
    await app.discussions.react(memberActor, { targetId: d.id, emoji: REACTION[vis].discussion });
    await app.discussions.react(memberActor, { targetId: c.id, emoji: REACTION[vis].comment });
    // What was deleted is nobody's any more; an edit replaces the old text everywhere.
    const gone = await app.discussions.reply(residentActor, { discussionId: d.id, body: `Effacé ${m('deletedcomment')}` });
    const deletedComment = await insertFile(app, { ownerId: resident.id, purpose: 'attachment', groupId: id, discussionId: d.id, commentId: gone.id, name: `x-${m('deletedfilename')}.pdf`, content: `%PDF ${m('deletedfile')}` });
    await app.discussions.removeComment(residentActor, { commentId: gone.id });
    const edited = await app.discussions.reply(residentActor, { discussionId: d.id, body: `Avant ${m('commentbeforeedit')}` });
    await app.discussions.editComment(residentActor, { commentId: edited.id, body: `Après ${m('commentafteredit')}` });
    const dropped = await app.discussions.create(admin, { groupSlug: slug, title: 'Supprimée', body: `Corps ${m('deleteddiscussion')} plantation` });
    await app.discussions.reply(residentActor, { discussionId: dropped.id, body: `Sous ${m('orphancomment')} plantation` });
    await app.discussions.remove(admin, { discussionId: dropped.id });
    const files = {
      deletedComment,
      deletedChat: '',
      cover,
      discussion: await insertFile(app, { ownerId: users.groupAdmin.id, purpose: 'attachment', groupId: id, discussionId: d.id, name: `pv-${m('dfilename')}.pdf`, content: `%PDF ${m('dfile')}` }),
      comment: await insertFile(app, { ownerId: resident.id, purpose: 'attachment', groupId: id, discussionId: d.id, commentId: c.id, name: `annexe-${m('cfilename')}.pdf`, content: `%PDF ${m('cfile')}` }),
      image: await insertFile(app, { ownerId: resident.id, purpose: 'attachment', groupId: id, discussionId: d.id, commentId: c.id, name: `photo-${m('imagename')}.png`, content: `PNG ${m('image')}`, preview: `RIFF ${m('preview')}` }),
      chat: '',
      task: '',
      deletedTaskComment: '',
    };
    const room = await app.chat.groupChat(admin, { slug });
    const sent = await app.chat.send(residentActor, { roomId: room.room.id, key: `seed-${vis}-0001`, body: `Chat ${m('chat')}` });
    files.chat = await insertFile(app, { ownerId: resident.id, purpose: 'attachment', groupId: id, chatMessageId: sent.message.id, name: `chat-${m('chatfilename')}.pdf`, content: `%PDF ${m('chatfile')}` });
    await app.chat.react(memberActor, { messageId: sent.message.id, emoji: REACTION[vis].chat });
    const goneChat = await app.chat.send(residentActor, { roomId: room.room.id, key: `seed-${vis}-0002`, body: `Effacé ${m('deletedchat')}` });
    files.deletedChat = await insertFile(app, { ownerId: resident.id, purpose: 'attachment', groupId: id, chatMessageId: goneChat.message.id, name: `x-${m('deletedchatfilename')}.pdf`, content: `%PDF ${m('deletedchatfile')}` });
    await app.chat.remove(residentActor, { messageId: goneChat.message.id });
    const editedChat = await app.chat.send(residentActor, { roomId: room.room.id, key: `seed-${vis}-0003`, body: `Avant ${m('chatbeforeedit')}` });
    await app.chat.edit(residentActor, { messageId: editedChat.message.id, body: `Après ${m('chatafteredit')}` });
    await app.groups.invitations.inviteByEmail(admin, slug, { emails: `${m('invitee')}@example.org` });
    const invitation = await app.db.selectFrom('invitations').select('id').where('groupId', '=', id).executeTakeFirstOrThrow();
    // Tasks: one with every field marked, made from the reply; a deleted comment and a deleted task.
    const label = await app.tasks.addLabel(residentActor, { groupSlug: slug, name: `Étiquette ${m('labelname')}`, color: 'green' });
    const doing = (await app.tasks.board(admin, { groupSlug: slug })).columns[1];
    await app.tasks.editColumn(admin, { groupSlug: slug, columnId: doing.id, name: `Colonne ${m('columnname')}` });
    const task = await app.tasks.create(residentActor, { groupSlug: slug, title: `Tâche ${m('tasktitle')} plantation`, description: `Détails ${m('taskdesc')}`, assigneeIds: [resident.id, users.member.id], labelIds: [label.id], from: `comment:${c.id}`, columnId: doing.id, dueDate: '2026-12-24' });
    const [checkItemId] = (await app.tasks.addChecklist(residentActor, { taskId: task.id, text: `Ligne ${m('checkitem')}` })).ids;
    const taskComment = await app.tasks.comment(residentActor, { taskId: task.id, body: `Remarque ${m('taskcomment')}` });
    files.task = await insertFile(app, { ownerId: resident.id, purpose: 'attachment', groupId: id, taskId: task.id, taskCommentId: taskComment.id, name: `plan-${m('taskfilename')}.pdf`, content: `%PDF ${m('taskfile')}` });
    const goneTaskComment = await app.tasks.comment(residentActor, { taskId: task.id, body: `Effacé ${m('deletedtaskcomment')}` });
    files.deletedTaskComment = await insertFile(app, { ownerId: resident.id, purpose: 'attachment', groupId: id, taskId: task.id, taskCommentId: goneTaskComment.id, name: `x-${m('deletedtaskfilename')}.pdf`, content: `%PDF ${m('deletedtaskfile')}` });
    await app.tasks.removeComment(residentActor, { commentId: goneTaskComment.id });
    const goneTask = await app.tasks.create(admin, { groupSlug: slug, title: `Supprimée ${m('deletedtask')}`, description: `Détails ${m('deletedtaskdesc')}`, assigneeIds: [users.member.id] });
    await app.tasks.remove(admin, { taskId: goneTask.id });
    let requestId: string | null = null;
    if (vis === 'closed') requestId = (await app.groups.requestJoin(await actorOf(users.outsider.id), slug, { message: `Bonjour ${m('request')}` })).id;
    const decide = await seedDecide(app, { vis, groupId: id, slug, admin, member: memberActor, m });
    groups[vis] = {
      vis, id, slug, facts: { id, visibility: vis, parentId: null }, residentId: resident.id, residentHandle: resident.handle,
      discussionId: d.id, commentId: c.id, files, linkId: link.id, roomId: room.room.id, chatMessageId: sent.message.id, invitationId: invitation.id, requestId, decide,
      taskId: task.id, taskCommentId: taskComment.id, checkItemId, labelId: label.id, columnId: doing.id,
    };
  }

  const subgroups = {} as World['subgroups'];
  for (const [key, vis, parent] of [['secretInOpen', 'secret', groups.open], ['openInSecret', 'open', groups.secret]] as const) {
    const id = newId();
    const slug = `${parent.slug}-${vis}-wg`;
    await app.db.insertInto('groups').values({ id, parentId: parent.id, name: mk(key.toLowerCase(), 'name'), slug, description: mk(key.toLowerCase(), 'desc'), coverFileId: null, visibility: vis, createdBy: users.groupAdmin.id, createdAt: now(), lastSeq: 0, discussionCount: 0, memberCount: 1, lastActivityAt: now() }).execute();
    await app.db.insertInto('memberships').values({ groupId: id, userId: users.groupAdmin.id, role: 'admin', createdAt: now(), readFloorSeq: 0, unreadCount: 0 }).execute();
    subgroups[key] = { id, slug, facts: { id, visibility: vis, parentId: parent.id } };
  }
  // An invitation to the association itself; a former member's mail setting for the secret group.
  await app.groups.invitations.inviteByEmail(await actorOf(instanceAdmin.id), null, { emails: `${mk('association', 'invitee')}@example.org` });
  await app.db.insertInto('emailGroupPrefs').values({ userId: users.outsider.id, groupId: groups.secret.id, level: 'all', updatedAt: now() }).execute();

  // Notifications of the outsider pointing at what they cannot read (a mention in the secret
  // discussion, another in its chat): the home page must not show them.
  const secret = groups.secret;
  const chatMention = await app.chat.send(await actorOf(secret.residentId), { roomId: secret.roomId, key: 'seed-secret-mention', body: `@otto ${mk('secret', 'chatmention')}` });
  const staleNotice = async (kind: string, subjectId: string, itemId: string, groupId: string, marker: string) => {
    const noticeId = newId();
    const id = newId();
    const data = { title: mk('secret', `${marker}title`), url: kind === 'chat' ? `/groups/${secret.slug}/chat` : `/d/${subjectId}`, summary: { key: 'notify.mentioned', params: { name: 'x', title: mk('secret', `${marker}title`) } }, excerpt: mk('secret', `${marker}excerpt`) };
    await app.db.insertInto('notices').values({ id: noticeId, type: kind === 'chat' ? 'chat.message_posted' : 'comment.posted', subjectKind: kind, subjectId, itemId, groupId, actorId: secret.residentId, data: JSON.stringify(data), createdAt: now() }).execute();
    await app.db
      .insertInto('notifications')
      .values({ id, userId: users.outsider.id, noticeId, reason: 'mentioned', subjectKind: kind, subjectId, itemId, groupId, actorId: secret.residentId, inInbox: 1, mailState: null, dedupeKey: `mentioned:${itemId}`, createdAt: now(), readAt: null })
      .execute();
    return id;
  };
  const staleNotificationId = await staleNotice('discussion', secret.discussionId, secret.commentId, secret.id, 'notice');
  await staleNotice('chat', secret.roomId, chatMention.message.id, secret.id, 'chatnotice');

  // Personal things: a direct conversation, drafts, tokens, a bio, an avatar, a mail in the outbox.
  const member = await actorOf(users.member.id);
  const dm = await app.chat.openDirect(member, { handles: [users.outsider.handle], title: mk('dm', 'title') });
  const dmMessage = await app.chat.send(member, { roomId: dm.roomId, key: 'seed-dm-0001', body: `Privé ${mk('dm', 'message')}` });
  const draftKey = `discussion:${groups.closed.id}`;
  await app.discussions.saveDraft(member, { key: draftKey, title: mk('memberdraft', 'title'), body: mk('memberdraft', 'body') });
  const staleKey = `discussion:${groups.secret.id}`;
  await app.db.insertInto('drafts').values({ userId: users.outsider.id, key: staleKey, title: mk('outsiderdraft', 'title'), body: mk('outsiderdraft', 'body'), updatedAt: now() }).execute();
  const tokens = {} as World['tokens'];
  for (const who of ['outsider', 'member', 'groupAdmin', 'instanceAdmin'] as const) {
    const t = await app.accounts.createToken(await actorOf(users[who].id), { name: mk(who.toLowerCase(), 'tokenname') });
    tokens[who] = { id: t.id, secret: t.token };
  }
  await app.accounts.updateProfile(member, { bio: `Bio ${mk('member', 'bio')}` });
  const avatarId = await insertFile(app, { ownerId: users.member.id, purpose: 'avatar', name: 'avatar.webp', content: `RIFF ${mk('member', 'avatar')}` });
  await app.db.updateTable('users').set({ avatarFileId: avatarId }).where('id', '=', users.member.id).execute();
  const outboxId = 'seeded-mail';
  fs.mkdirSync(app.mailDir, { recursive: true });
  fs.writeFileSync(
    path.join(app.mailDir, `${outboxId}.eml`),
    `From: Ruche <noreply@example.org>\r\nTo: ${mk('outbox', 'to')}@example.org\r\nSubject: Lien ${mk('outbox', 'subject')}\r\nDate: Mon, 05 Jan 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCorps ${mk('outbox', 'text')}\r\n`,
  );

  const actors = { visitor: { kind: 'visitor' } } as Record<ActorName, Actor>;
  const cookies = { visitor: '' } as Record<ActorName, string>;
  for (const who of ['outsider', 'member', 'groupAdmin', 'instanceAdmin'] as const) {
    actors[who] = await actorOf(users[who].id);
    cookies[who] = `ruche_session=${(await app.sessions.start(users[who].id as UserId)).token}`;
  }
  return { users, actors, cookies, groups, subgroups, dm: { roomId: dm.roomId, messageId: dmMessage.message.id, participants: [users.member.id, users.outsider.id] }, tokens, avatarId, outboxId, staleNotificationId, drafts: { member: draftKey, outsider: staleKey } };
}
