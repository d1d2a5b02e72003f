/**
 * Every marker of the world and who may see it, derived from the policy itself (`can`): the
 * allow-list of an actor is exactly the markers whose rule holds for them. The matrix then
 * asserts that each response shows only allowed markers, and that the walk as a whole shows
 * an actor every marker they are allowed (so a walk that reaches nothing cannot pass).
 */
import { can, isUser, type Actor } from '../../../src/lib/server/policy';
import { mk, REACTION, VISIBILITIES, type World } from './world';
import { DECIDE_FIELDS } from './decide-world';

export type Marker = { name: string; test: (body: string) => boolean; who: (a: Actor) => boolean; text?: string };

const text = (name: string, s: string, who: (a: Actor) => boolean): Marker => ({ name, test: (b) => b.includes(s), who, text: s });
/** A discussion reaction is seen through its data (`emoji: "🎉"`), never through the palette every page lists. */
const reaction = (name: string, emoji: string, who: (a: Actor) => boolean): Marker => {
  const re = new RegExp(`"?emoji"?:\\s*"${emoji}"`, 'u');
  return { name, test: (b) => re.test(b), who };
};
const self = (id: string) => (a: Actor) => isUser(a) && a.userId === id;
const nobody = () => false;

export function markersOf(w: World): Marker[] {
  const out: Marker[] = [];
  for (const vis of VISIBILITIES) {
    const g = w.groups[vis];
    const m = (f: string) => mk(vis, f);
    const sees = (a: Actor) => can(a, 'group.see', g.facts);
    const links = (a: Actor) => can(a, 'group.links', g.facts);
    const members = (a: Actor) => can(a, 'group.members', g.facts);
    const d = { group: g.facts, authorId: w.users.groupAdmin.id, lockedAt: null, deletedAt: null };
    const reads = (a: Actor) => can(a, 'discussion.read', d);
    const chat = (a: Actor) => can(a, 'chat.read', g.facts);
    // A group presents itself (name, description, cover) to whoever may know it exists.
    for (const f of ['name', 'desc', 'cover']) out.push(text(`${vis} group ${f}`, m(f), sees));
    out.push(text(`${vis} link title`, m('linktitle'), links), text(`${vis} link url`, m('linkurl'), links));
    // Members' names are seen by who may list the members; e-mail addresses by nobody but the instance administrators.
    out.push(text(`${vis} member name`, m('residentname'), (a) => members(a) || can(a, 'user.manage')));
    out.push(text(`${vis} member e-mail`, m('residentemail'), (a) => can(a, 'user.manage')));
    for (const f of ['title', 'body', 'comment', 'dfilename', 'dfile', 'cfilename', 'cfile', 'imagename', 'image', 'preview']) out.push(text(`${vis} discussion ${f}`, m(f), reads));
    out.push(reaction(`${vis} discussion reaction`, REACTION[vis].discussion, reads), reaction(`${vis} comment reaction`, REACTION[vis].comment, reads));
    for (const f of ['chat', 'chatfilename', 'chatfile', 'chatafteredit']) out.push(text(`${vis} chat ${f}`, m(f), chat));
    out.push(text(`${vis} discussion commentafteredit`, m('commentafteredit'), reads));
    // Tasks are read like their group: every field of a task, its board's labels and columns.
    const readsTask = (a: Actor) => can(a, 'task.read', { group: g.facts, authorId: g.residentId, deletedAt: null });
    for (const f of ['tasktitle', 'taskdesc', 'checkitem', 'taskcomment', 'taskfilename', 'taskfile', 'labelname', 'columnname']) out.push(text(`${vis} task ${f}`, m(f), readsTask));
    // Deleted things, their files, what a deleted discussion held, and text replaced by an edit: nobody's.
    for (const f of ['deletedcomment', 'deletedfilename', 'deletedfile', 'deleteddiscussion', 'orphancomment', 'commentbeforeedit', 'deletedchat', 'deletedchatfilename', 'deletedchatfile', 'chatbeforeedit', 'deletedtask', 'deletedtaskdesc', 'deletedtaskcomment', 'deletedtaskfilename', 'deletedtaskfile'])
      out.push(text(`${vis} removed ${f}`, m(f), nobody));
    out.push(text(`${vis} chat reaction`, REACTION[vis].chat, chat));
    out.push(text(`${vis} invitation e-mail`, m('invitee'), (a) => can(a, 'group.invite', g.facts)));
    if (g.requestId) out.push(text(`${vis} join request message`, m('request'), (a) => can(a, 'group.manage', g.facts)));
    // Polls, the decision log and the agenda are read like the group's content (an open group's by visitors).
    for (const f of DECIDE_FIELDS) out.push(text(`${vis} decide ${f}`, m(f), (a) => can(a, 'group.read', g.facts)));
    // An anonymous poll's voter, a member who did nothing else: known as a member, never as a voter (the matrix checks the poll's surfaces apart).
    out.push(text(`${vis} anonymous voter name`, m('anonvoter'), (a) => members(a) || can(a, 'user.manage')));
  }
  for (const [key, sub] of Object.entries(w.subgroups))
    for (const f of ['name', 'desc']) out.push(text(`working group ${key} ${f}`, mk(key.toLowerCase(), f), (a) => can(a, 'group.see', sub.facts)));
  out.push(text('invitation to the association', mk('association', 'invitee'), (a) => can(a, 'instance.admin')));
  out.push(text('secret chat mention of the outsider', mk('secret', 'chatmention'), (a) => can(a, 'chat.read', w.groups.secret.facts)));
  // Notices kept for the outsider about the secret group's discussion and chat: they may no longer read them, nobody else has them.
  for (const f of ['noticetitle', 'noticeexcerpt', 'chatnoticetitle', 'chatnoticeexcerpt']) out.push(text(`outsider stale ${f}`, mk('secret', f), nobody));

  const dm = { participantIds: w.dm.participants };
  out.push(text('direct conversation title', mk('dm', 'title'), (a) => can(a, 'dm.read', dm)), text('direct message', mk('dm', 'message'), (a) => can(a, 'dm.read', dm)));
  // Drafts: their author's, while they may still post there (a former member's draft is nobody's).
  out.push(text('member draft title', mk('memberdraft', 'title'), self(w.users.member.id)), text('member draft body', mk('memberdraft', 'body'), self(w.users.member.id)));
  out.push(text('former member draft', mk('outsiderdraft', 'title'), nobody), text('former member draft body', mk('outsiderdraft', 'body'), nobody));
  for (const who of ['outsider', 'member', 'groupAdmin', 'instanceAdmin'] as const) {
    const id = w.users[who].id;
    out.push(text(`${who} e-mail`, mk(who.toLowerCase().replace('instanceadmin', 'instadmin'), 'email'), (a) => self(id)(a) || can(a, 'user.manage')));
    out.push(text(`${who} token name`, mk(who.toLowerCase(), 'tokenname'), self(id)));
    // A token's secret is shown once, when it is created; never again, not even to its owner.
    out.push(text(`${who} token secret`, w.tokens[who].secret, nobody));
  }
  // A profile (bio, photo) is seen by signed-in members only.
  out.push(text('member bio', mk('member', 'bio'), (a) => can(a, 'user.see')), text('member avatar', mk('member', 'avatar'), (a) => can(a, 'user.see')));
  for (const f of ['to', 'subject', 'text']) out.push(text(`outbox mail ${f}`, mk('outbox', f), (a) => can(a, 'instance.outbox')));

  // One marker inside another would be seen twice.
  for (const a of out) for (const b of out) if (a !== b && a.text && b.text && a.text.includes(b.text)) throw new Error(`marker ${b.name} is inside ${a.name}`);
  return out;
}
