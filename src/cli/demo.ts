import type { App } from '../lib/server/app';
import { handleFromName, insertUser } from '../lib/server/domain/accounts/users';
import { slugify } from '../lib/server/domain/groups/slug';
import { hashPassword } from '../lib/server/domain/accounts/passwords';
import type { UserId } from '../lib/server/kernel/ids';
import type { Actor } from '../lib/server/policy';
import { loadDemoDecide } from './demo-decide';
import { demoAssociation, demoChats, demoDiscussions, demoGroups, demoMembers, demoPassword, type MemberKey } from './demo-data';
import { loadDemoTasks } from './demo-tasks';

/**
 * What of the demo is already taken in this instance: group addresses (slugs), handles
 * and emails, one line each ("group marches"). The demo's handles and slugs are named
 * in its discussions and links, so they must be the ones it expects.
 */
export async function demoClashes(app: App): Promise<string[]> {
  const slugs = demoGroups.map((g) => slugify(g.name));
  const handles = demoMembers.map((m) => handleFromName(m.name));
  const emails = demoMembers.map((m) => m.email);
  const [g, h, e] = await Promise.all([
    app.db.selectFrom('groups').select('slug').where('slug', 'in', slugs).execute(),
    app.db.selectFrom('users').select('handle').where('handle', 'in', handles).execute(),
    app.db.selectFrom('users').select('email').where('email', 'in', emails).execute(),
  ]);
  return [...g.map((r) => `group ${r.slug}`), ...h.map((r) => `handle @${r.handle}`), ...e.map((r) => `email ${r.email}`)].sort();
}

/**
 * Loads the demo association through the same services the pages use (so counters,
 * unread state, search and mentions are all real). Into an empty instance it sets up the
 * association too; beside an existing one it adds its members, groups and discussions
 * when none of its group addresses, handles and emails are taken (else nothing is written
 * and the error names what clashes), leaves the association's settings alone, and gives
 * none of its accounts, whose password is public, administrator rights.
 */
export async function loadDemo(app: App, out: (line: string) => void): Promise<void> {
  const empty = await app.instance.needsSetup();
  if (!empty) {
    const clashes = await demoClashes(app);
    if (clashes.length)
      throw new Error(`the demo cannot load beside this association's data, these are taken: ${clashes.join(', ')}. Load it into an empty instance instead (for example DATA_DIR=./data-demo npm run ruche -- demo)`);
  }
  const [first, ...rest] = demoMembers;
  const created = empty
    ? await app.instance.setup({ associationName: demoAssociation.name, name: first.name, email: first.email, password: demoPassword, locale: first.locale })
    : await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: first.email, name: first.name, password: demoPassword, locale: first.locale, isAdmin: true }));
  const ids = new Map<MemberKey, UserId>([[first.key, created.id as UserId]]);
  // One hash for everyone (they share the demo password), computed outside any transaction.
  const hash = await hashPassword(demoPassword);
  for (const m of rest) {
    const u = await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: m.email, name: m.name, password: demoPassword, locale: m.locale }, hash));
    ids.set(m.key, u.id as UserId);
  }
  const actor = (k: MemberKey): Promise<Actor> => app.sessions.actorFor(ids.get(k)!);
  const admin = () => actor('admin');
  if (empty) {
    await app.instance.updateSettings(await admin(), { name: demoAssociation.name, description: demoAssociation.description, openRegistration: false, defaultLocale: 'fr' });
    out(`association "${demoAssociation.name}" with ${demoMembers.length} members`);
  } else out(`${demoMembers.length} demo members beside the association's own`);

  const slugs = new Map<string, string>();
  for (const g of demoGroups) {
    // Top-level groups by the association admin; working groups by an admin of the parent.
    const creator = g.parent ? await admin() : await admin();
    const ref = await app.groups.create(creator, { name: g.name, description: g.description, visibility: g.visibility, parent: g.parent ? slugs.get(g.parent) : undefined });
    slugs.set(g.key, ref.slug);
    const everyone = [...new Set([...g.admins, ...g.members])].filter((k) => k !== 'admin');
    if (g.visibility === 'open') {
      for (const k of everyone) await app.groups.join(await actor(k), ref.slug);
    } else {
      const link = await app.groups.invitations.createLink(await admin(), ref.slug, { days: 7, maxUses: everyone.length || 1 });
      for (const k of everyone) await app.groups.invitations.accept(await actor(k), { token: link.token });
    }
    for (const k of g.admins) if (k !== 'admin') await app.groups.setRole(await admin(), ref.slug, { userId: ids.get(k), role: 'admin' });
    if (!g.admins.includes('admin') && !g.members.includes('admin')) await app.groups.leave(await admin(), ref.slug);
    for (const l of g.links ?? []) await app.groups.addLink(await actor(g.admins[0]), ref.slug, l);
    out(`group ${g.name} (${g.visibility}${g.parent ? `, working group of ${g.parent}` : ''}): ${everyone.length + (g.members.includes('admin') || g.admins.includes('admin') ? 1 : 0)} members`);
  }

  let comments = 0;
  for (const d of demoDiscussions) {
    const slug = slugs.get(d.group)!;
    const view = await app.discussions.create(await actor(d.author), { groupSlug: slug, title: d.title, body: d.body });
    if (d.pinned) await app.discussions.setPinned(await actor(demoGroups.find((g) => g.key === d.group)!.admins[0]), { discussionId: view.id, on: true });
    for (const c of d.comments) {
      await app.discussions.reply(await actor(c.author), { discussionId: view.id, body: c.body });
      comments++;
    }
    for (const r of d.reactions ?? []) await app.discussions.react(await actor(r.who), { targetId: view.id, emoji: r.emoji });
  }
  out(`${demoDiscussions.length} discussions with ${comments} comments, in French and Dutch`);
  let said = 0;
  for (const c of demoChats) {
    const slug = slugs.get(c.group)!;
    const roomId = (await app.chat.groupChat(await actor(c.messages[0].author), { slug })).room.id;
    for (const [i, m] of c.messages.entries()) {
      await app.chat.send(await actor(m.author), { roomId, key: `demo-${c.group}-${i}-message`, body: m.body });
      said++;
    }
  }
  out(`${said} chat messages in ${demoChats.length} group chats`);
  await loadDemoTasks(app, { actor, slugs }, out);
  await loadDemoDecide(app, { actor, slugs, userId: (k) => ids.get(k)! }, out);
  if (!empty) {
    // Only for loading: the demo's groups are made by an administrator, and its password is public.
    await app.db.updateTable('users').set({ isAdmin: 0 }).where('id', '=', ids.get(first.key)!).execute();
    out(`log in as ${first.email} (administrator of the demo groups, not of the association) or e.g. ${rest[0].email}, password "${demoPassword}"`);
  } else out(`log in as ${first.email} (administrator) or e.g. ${rest[0].email}, password "${demoPassword}"`);
}
