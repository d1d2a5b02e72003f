import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeGroup, makeMember, makeUser, type TestUser } from '../../../../../tests/support/groups-factories';
import { visitor, type Actor } from '../../policy';
import type { GroupNode } from './groups.queries';
import { slugify } from './slug';

const flat = (nodes: GroupNode[]): GroupNode[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
const names = (nodes: GroupNode[]) => flat(nodes).map((n) => n.name).sort();

describe('slugify', () => {
  it('keeps ASCII a-z0-9 and hyphens', () => {
    expect(slugify('Monnaie locale à Bruxelles !')).toBe('monnaie-locale-a-bruxelles');
    expect(slugify('  Ça & Là  ')).toBe('ca-la');
    expect(slugify('€€€')).toBe('group');
  });
});

describe.each(engines)('groups on %s', (engine) => {
  let app: TestApp;
  let admin: TestUser, member: TestUser, outsider: TestUser, subMember: TestUser;
  beforeAll(async () => {
    app = await createTestApp(engine);
    admin = await makeUser(app, { admin: true, name: 'Ada Admin' });
    member = await makeUser(app, { name: 'Mia Member' });
    outsider = await makeUser(app, { name: 'Otto Outsider' });
    subMember = await makeUser(app, { name: 'Sam Sub' });
    const a = await admin.actor();
    const open = await makeGroup(app, a, { name: 'Open', visibility: 'open' });
    const closed = await makeGroup(app, a, { name: 'Closed', visibility: 'closed' });
    const secret = await makeGroup(app, a, { name: 'Secret', visibility: 'secret' });
    const secretSub = await makeGroup(app, a, { name: 'Secret sub of open', visibility: 'secret', parent: open.slug });
    await makeGroup(app, a, { name: 'Open sub of closed', visibility: 'open', parent: closed.slug });
    for (const g of [open, closed, secret]) await makeMember(app, g.id, member.id);
    await makeMember(app, secretSub.id, subMember.id);
  });
  afterAll(async () => app?.cleanup());

  it.each([
    ['visitor', () => Promise.resolve(visitor as Actor), ['Closed', 'Open', 'Open sub of closed']],
    ['outsider', () => outsider.actor(), ['Closed', 'Open', 'Open sub of closed']],
    ['member of the top groups', () => member.actor(), ['Closed', 'Open', 'Open sub of closed', 'Secret']],
    ['member of the secret subgroup only', () => subMember.actor(), ['Closed', 'Open', 'Open sub of closed', 'Secret sub of open']],
    ['instance admin', () => admin.actor(), ['Closed', 'Open', 'Open sub of closed', 'Secret', 'Secret sub of open']],
  ])('the tree seen by a %s is filtered in SQL', async (_n, actorOf, expected) => {
    const tree = await app.groups.tree(await actorOf());
    expect(names(tree)).toEqual([...expected].sort());
  });

  it('nests working groups under their parent and marks memberships', async () => {
    const tree = await app.groups.tree(await subMember.actor());
    const open = tree.find((n) => n.name === 'Open')!;
    expect(open.children.map((c) => c.name)).toEqual(['Secret sub of open']);
    expect(open.role).toBeNull();
    expect(open.unreadCount).toBeNull();
    expect(open.children[0].role).toBe('member');
    expect(open.children[0].unreadCount).toBe(0);
  });

  it('hides a secret group from non-members as "not found", on bySlug and the page', async () => {
    for (const a of [visitor as Actor, await outsider.actor()]) {
      await expect(app.groups.bySlug(a, 'secret')).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.groups.overview(a, 'secret')).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.groups.members(a, 'secret')).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.groups.bySlug(a, 'no-such-group')).rejects.toMatchObject({ kind: 'not_found' });
    }
    expect((await app.groups.bySlug(await member.actor(), 'secret')).name).toBe('Secret');
  });

  it('lists only visible subgroups on a group page, with a breadcrumb to a visible parent', async () => {
    const seenByOutsider = await app.groups.overview(await outsider.actor(), 'open');
    expect(seenByOutsider.subgroups).toEqual([]);
    const seenBySub = await app.groups.overview(await subMember.actor(), 'open');
    expect(seenBySub.subgroups.map((s) => s.name)).toEqual(['Secret sub of open']);
    const sub = await app.groups.overview(await subMember.actor(), 'secret-sub-of-open');
    expect(sub.parent).toEqual({ slug: 'open', name: 'Open' });
  });

  it('closed groups show their name to outsiders but not their members', async () => {
    const o = await outsider.actor();
    const page = await app.groups.overview(o, 'closed');
    expect(page.group.name).toBe('Closed');
    expect(page.abilities['group.read']).toBe(false);
    expect(page.abilities['group.requestJoin']).toBe(true);
    // Members are content: hidden like content (the policy answers "not found" when group.read fails).
    await expect(app.groups.members(o, 'closed')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('lets only instance admins create top-level groups, and group admins create working groups', async () => {
    await expect(app.groups.create(await member.actor(), { name: 'Mine' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(app.groups.create(visitor, { name: 'Mine' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    const a = await admin.actor();
    const g = await app.groups.create(a, { name: 'Café Citoyen', visibility: 'closed', description: '**hi**' });
    expect(g.slug).toBe('cafe-citoyen');
    expect(g.memberCount).toBe(1);
    const again = await app.groups.create(a, { name: 'Café citoyen' });
    expect(again.slug).toBe('cafe-citoyen-2');
    await expect(app.groups.create(a, { name: 'X y', slug: 'cafe-citoyen' })).rejects.toMatchObject({ issues: [{ path: 'slug', code: 'slug_taken' }] });
    await expect(app.groups.create(a, { name: 'X y', slug: 'Not A Slug' })).rejects.toMatchObject({ issues: [{ path: 'slug', code: 'slug' }] });
    await expect(app.groups.create(a, { name: 'X y', slug: 'new' })).rejects.toMatchObject({ issues: [{ path: 'slug', code: 'slug_taken' }] });

    // The creator of a top-level group is its admin; a member who is not admin may not add a working group.
    await makeMember(app, g.id, member.id);
    await expect(app.groups.create(await member.actor(), { name: 'WG', parent: g.slug })).rejects.toMatchObject({ kind: 'forbidden' });
    await makeMember(app, g.id, outsider.id, 'admin');
    const wg = await app.groups.create(await outsider.actor(), { name: 'WG', parent: g.slug, visibility: 'secret' });
    expect(wg.parentId).toBe(g.id);
    const ov = await app.groups.overview(await outsider.actor(), wg.slug);
    expect(ov.membership?.role).toBe('admin');
    expect(ov.parent?.slug).toBe(g.slug);
    // Joining the subgroup did not make the creator a member of anything else, and the parent's members are not subgroup members.
    await expect(app.groups.overview(await member.actor(), wg.slug)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('edits name, slug, description and visibility (group.manage only)', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { name: 'Editable' });
    await makeMember(app, g.id, member.id);
    await expect(app.groups.update(await member.actor(), g.slug, { name: 'Nope' })).rejects.toMatchObject({ kind: 'forbidden' });
    const u = await app.groups.update(a, g.slug, { name: 'Edited', slug: 'edited-group', description: '# Title\n<script>x</script>', visibility: 'closed' });
    expect(u).toMatchObject({ name: 'Edited', slug: 'edited-group', visibility: 'closed' });
    const page = await app.groups.overview(a, 'edited-group');
    expect(page.group.descriptionHtml).toContain('<h1>Title</h1>');
    expect(page.group.descriptionHtml).not.toContain('<script>');
    await expect(app.groups.update(a, 'edited-group', { slug: 'open' })).rejects.toMatchObject({ issues: [{ path: 'slug', code: 'slug_taken' }] });
  });

  it('adds, reorders and removes external links; only http(s)', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { name: 'Linked' });
    await expect(app.groups.addLink(a, g.slug, { title: 'Bad', url: 'javascript:alert(1)' })).rejects.toMatchObject({ issues: [{ path: 'url', code: 'url' }] });
    await expect(app.groups.addLink(a, g.slug, { title: 'Bad', url: 'ftp://x.org/' })).rejects.toMatchObject({ kind: 'invalid' });
    const l1 = await app.groups.addLink(a, g.slug, { title: 'Site', url: 'https://zinne.brussels' });
    const l2 = await app.groups.addLink(a, g.slug, { title: 'Wiki', url: 'http://wiki.example.org/x' });
    const l3 = await app.groups.addLink(a, g.slug, { title: 'Drive', url: 'https://drive.example.org' });
    await app.groups.moveLink(a, g.slug, { linkId: l3.id, direction: 'up' });
    await app.groups.moveLink(a, g.slug, { linkId: l1.id, direction: 'up' }); // already first: no change
    let page = await app.groups.overview(visitor, g.slug);
    expect(page.links.map((l) => l.title)).toEqual(['Site', 'Drive', 'Wiki']);
    await app.groups.moveLink(a, g.slug, { linkId: l1.id, direction: 'down' });
    await app.groups.removeLink(a, g.slug, { linkId: l2.id });
    page = await app.groups.overview(visitor, g.slug);
    expect(page.links.map((l) => l.title)).toEqual(['Drive', 'Site']);
    await expect(app.groups.addLink(await member.actor(), g.slug, { title: 'X', url: 'https://x.org' })).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('shows links (content) to those who read the group only: everyone in open groups, members in closed and secret ones', async () => {
    const a = await admin.actor();
    const groups = {
      open: await makeGroup(app, a, { name: 'Links open', visibility: 'open' }),
      closed: await makeGroup(app, a, { name: 'Links closed', visibility: 'closed' }),
      secret: await makeGroup(app, a, { name: 'Links secret', visibility: 'secret' }),
    };
    for (const g of Object.values(groups)) {
      await app.groups.addLink(a, g.slug, { title: `Drive ${g.name}`, url: 'https://drive.example.org/folder' });
      await makeMember(app, g.id, member.id);
    }
    const titles = async (who: Actor, slug: string) => (await app.groups.overview(who, slug)).links.map((l) => l.title);
    const o = await outsider.actor();
    const m = await member.actor();
    expect(await titles(visitor, groups.open.slug)).toEqual(['Drive Links open']);
    expect(await titles(o, groups.open.slug)).toEqual(['Drive Links open']);
    // A closed group presents itself to everyone (name, description, cover), not its links.
    const closedToOutsider = await app.groups.overview(o, groups.closed.slug);
    expect(closedToOutsider.group.name).toBe('Links closed');
    expect(closedToOutsider.links).toEqual([]);
    expect(await titles(visitor, groups.closed.slug)).toEqual([]);
    expect(await titles(m, groups.closed.slug)).toEqual(['Drive Links closed']);
    expect(await titles(m, groups.secret.slug)).toEqual(['Drive Links secret']);
    expect(await titles(a, groups.secret.slug)).toEqual(['Drive Links secret']);
    await expect(app.groups.overview(o, groups.secret.slug)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('pages members by name with a keyset cursor', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { name: 'Paged' });
    for (const name of ['Zoé', 'Bob', 'Chloé', 'Dirk']) {
      const u = await makeUser(app, { name });
      await makeMember(app, g.id, u.id);
    }
    const p1 = await app.groups.members(a, g.slug, { limit: 2 });
    expect(p1.members.map((m) => m.name)).toEqual(['Ada Admin', 'Bob']);
    const p2 = await app.groups.members(a, g.slug, { limit: 2, after: p1.next });
    expect(p2.members.map((m) => m.name)).toEqual(['Chloé', 'Dirk']);
    const p3 = await app.groups.members(a, g.slug, { limit: 2, after: p2.next });
    expect(p3.members.map((m) => m.name)).toEqual(['Zoé']);
    expect(p3.next).toBeNull();
    expect(p1.group.memberCount).toBe(5);
  });
});
