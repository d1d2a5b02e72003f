import type { App } from '../lib/server/app';
import { insertUser } from '../lib/server/domain/accounts/users';
import type { UserId } from '../lib/server/kernel/ids';
import type { Actor } from '../lib/server/policy';
import { demoAssociation, demoDiscussions, demoGroups, demoMembers, demoPassword, type MemberKey } from './demo-data';
import { loadDemoTasks } from './demo-tasks';

/**
 * Loads the demo association into an empty instance through the same services the pages
 * use (so counters, unread state, search and mentions are all real). Returns a summary.
 */
export async function loadDemo(app: App, out: (line: string) => void): Promise<void> {
  if (!(await app.instance.needsSetup())) {
    throw new Error('this instance is already set up; the demo loads into an empty one (for example DATA_DIR=./data-demo npm run ruche -- demo)');
  }
  const [first, ...rest] = demoMembers;
  const created = await app.instance.setup({ associationName: demoAssociation.name, name: first.name, email: first.email, password: demoPassword, locale: first.locale });
  const ids = new Map<MemberKey, UserId>([[first.key, created.id as UserId]]);
  for (const m of rest) {
    const u = await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: m.email, name: m.name, password: demoPassword, locale: m.locale }));
    ids.set(m.key, u.id as UserId);
  }
  const actor = (k: MemberKey): Promise<Actor> => app.sessions.actorFor(ids.get(k)!);
  const admin = () => actor('admin');
  await app.instance.updateSettings(await admin(), { name: demoAssociation.name, description: demoAssociation.description, openRegistration: false, defaultLocale: 'fr' });
  out(`association "${demoAssociation.name}" with ${demoMembers.length} members`);

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
  await loadDemoTasks(app, { actor, slugs }, out);
  out(`log in as ${first.email} (administrator) or e.g. ${rest[0].email}, password "${demoPassword}"`);
}
