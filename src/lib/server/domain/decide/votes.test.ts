import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { addMember, makeUser, actorOf } from '../../../../../tests/support/discussions-factories';
import { dayAfter, makeDecideCircle, optionsOf } from '../../../../../tests/support/decide-factories';

describe.each(engines)('polls and proposals on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app);
  });
  afterEach(async () => app.cleanup());
  const poll = (extra: Record<string, unknown> = {}) =>
    app.decide.createChoicePoll(c.admin.actor, { groupSlug: c.g.slug, title: 'Couleur du stand', timeZone: 'Europe/Brussels', options: ['Jaune', 'Vert', 'Bleu'], deadlineDate: dayAfter(app, 5), ...extra });

  it('refuses polls without options, with one option or twice the same, and without a deadline in the future', async () => {
    const base = { groupSlug: c.g.slug, title: 'Couleur', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 5) };
    await expect(app.decide.createChoicePoll(c.anne.actor, { ...base, options: [] })).rejects.toMatchObject({ issues: [{ code: 'no_options' }] });
    await expect(app.decide.createChoicePoll(c.anne.actor, { ...base, options: ['Jaune', ' '] })).rejects.toMatchObject({ issues: [{ code: 'too_few_options' }] });
    await expect(app.decide.createChoicePoll(c.anne.actor, { ...base, options: ['Jaune', 'jaune'] })).rejects.toMatchObject({ issues: [{ code: 'duplicate_option' }] });
    await expect(app.decide.createChoicePoll(c.anne.actor, { ...base, options: ['A', 'B'], deadlineDate: undefined })).rejects.toMatchObject({ issues: [{ path: 'deadlineDate', code: 'required' }] });
    await expect(app.decide.createChoicePoll(c.anne.actor, { ...base, options: ['A', 'B'], deadlineDate: '2025-12-31' })).rejects.toMatchObject({ issues: [{ path: 'deadlineDate', code: 'date_past' }] });
    await expect(app.decide.createProposal(c.anne.actor, { ...base, quorum: 'percent', quorumValue: 150 })).rejects.toMatchObject({ issues: [{ path: 'quorumValue', code: 'bad_value' }] });
    expect(await app.db.selectFrom('polls').select('id').execute()).toEqual([]);
  });

  it('one entry for the API: the kind says which poll is made; an unknown kind is refused, writing nothing', async () => {
    const base = { groupSlug: c.g.slug, title: 'Couleur', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 5) };
    await expect(app.decide.createPoll(c.anne.actor, { ...base, options: ['A', 'B'] })).rejects.toMatchObject({ issues: [{ path: 'kind', code: 'bad_value' }] });
    await expect(app.decide.createPoll(c.anne.actor, { ...base, kind: 'vote', options: ['A', 'B'] })).rejects.toMatchObject({ issues: [{ path: 'kind', code: 'bad_value' }] });
    expect(await app.db.selectFrom('polls').select('id').execute()).toEqual([]);
    const choice = await app.decide.createPoll(c.anne.actor, { ...base, kind: 'choice', options: ['A', 'B'] });
    const proposal = await app.decide.createPoll(c.anne.actor, { ...base, kind: 'proposal', title: 'Adopter la charte' });
    const date = await app.decide.createPoll(c.anne.actor, { ...base, kind: 'date', slots: [{ date: dayAfter(app, 7), start: '19:00' }] });
    const kinds = await app.db.selectFrom('polls').select(['id', 'kind']).execute();
    expect(Object.fromEntries(kinds.map((k) => [k.id, k.kind]))).toEqual({ [choice.id]: 'choice', [proposal.id]: 'proposal', [date.id]: 'date' });
    // A member of another group cannot make one here, whatever the kind: the group is hidden.
    await expect(app.decide.createPoll(c.outsider.actor, { ...base, kind: 'proposal' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('single choice: one option; multiple choice: several; a named vote can change; results follow the poll’s setting', async () => {
    const p = await poll({ results: 'voted' });
    const [jaune, vert] = await optionsOf(app, p.id);
    await expect(app.decide.vote(c.anne.actor, { pollId: p.id, optionIds: [jaune.id, vert.id] })).rejects.toMatchObject({ issues: [{ code: 'one_choice' }] });
    // Before voting, Bert sees no counts ("after voting").
    expect((await app.decide.poll(c.bert.actor, { pollId: p.id })).choice!.options.map((o) => o.count)).toEqual([null, null, null]);
    await app.decide.vote(c.anne.actor, { pollId: p.id, optionIds: [jaune.id] });
    await app.decide.vote(c.anne.actor, { pollId: p.id, optionIds: [vert.id] });
    const r = (await app.decide.poll(c.anne.actor, { pollId: p.id })).choice!;
    expect(r.options.map((o) => o.count)).toEqual([0, 1, 0]);
    expect(r.voters).toEqual([{ name: 'Anne Peeters', optionIds: [vert.id] }]);
    expect(r.mine).toEqual([vert.id]);
    const multi = await poll({ title: 'Quels jours ?', multiple: true, results: 'closed' });
    const opts = await optionsOf(app, multi.id);
    await app.decide.vote(c.bert.actor, { pollId: multi.id, optionIds: [opts[0].id, opts[2].id] });
    expect((await app.decide.poll(c.bert.actor, { pollId: multi.id })).choice!.show).toBe(false);
    await app.decide.close(c.admin.actor, { pollId: multi.id });
    expect((await app.decide.poll(c.bert.actor, { pollId: multi.id })).choice!.options.map((o) => o.count)).toEqual([1, 0, 1]);
  });

  it('an anonymous vote is stored apart from its voter: counts only, nothing linking them, once', async () => {
    const p = await poll({ anonymous: true });
    const [jaune, vert] = await optionsOf(app, p.id);
    await app.decide.vote(c.anne.actor, { pollId: p.id, optionIds: [vert.id] });
    await app.decide.vote(c.bert.actor, { pollId: p.id, optionIds: [jaune.id] });
    await expect(app.decide.vote(c.anne.actor, { pollId: p.id, optionIds: [jaune.id] })).rejects.toMatchObject({ kind: 'conflict', code: 'already_voted' });
    expect(await app.db.selectFrom('pollVotes').selectAll().where('pollId', '=', p.id).execute()).toEqual([]);
    const tallies = await app.db.selectFrom('pollTallies').selectAll().where('pollId', '=', p.id).execute();
    expect(Object.keys(tallies[0]).sort()).toEqual(['count', 'optionId', 'pollId']);
    expect(tallies.map((t) => [t.optionId, Number(t.count)]).sort()).toEqual([[jaune.id, 1], [vert.id, 1]].sort());
    const voters = await app.db.selectFrom('pollVoters').selectAll().where('pollId', '=', p.id).execute();
    expect(voters.map((v) => v.userId).sort()).toEqual([c.anne.id, c.bert.id].sort());
    // The event log names the poll only.
    for (const e of await app.db.selectFrom('events').select('data').where('type', '=', 'poll.answered').execute()) expect(JSON.parse(e.data)).toEqual({ pollId: p.id });
    // No surface names who chose what.
    const v = await app.decide.poll(c.anne.actor, { pollId: p.id });
    expect(v.choice!.voters).toEqual([]);
    expect(v.choice!.mine).toEqual([]);
    expect(JSON.stringify(v)).not.toContain('Bert');
  });

  it('votes after the deadline or after closing are refused, and nothing is written', async () => {
    const p = await poll();
    const [jaune] = await optionsOf(app, p.id);
    app.clock.advance(6 * 86_400_000);
    await expect(app.decide.vote(c.anne.actor, { pollId: p.id, optionIds: [jaune.id] })).rejects.toMatchObject({ kind: 'conflict', code: 'poll_closed' });
    expect(await app.db.selectFrom('pollVoters').selectAll().execute()).toEqual([]);
  });

  it('proposals: positions with reasons (a block needs one), quorum, closing with an outcome into the searchable decision log', async () => {
    const p = await app.decide.createProposal(c.admin.actor, { groupSlug: c.g.slug, title: 'Adopter la charte du stand', description: 'Voir le texte.', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 5), quorum: 'percent', quorumValue: 50 });
    await expect(app.decide.respond(c.anne.actor, { pollId: p.id, position: 'block' })).rejects.toMatchObject({ issues: [{ path: 'reason', code: 'reason_required' }] });
    await app.decide.respond(c.anne.actor, { pollId: p.id, position: 'block', reason: 'Il manque les horaires.' });
    await app.decide.respond(c.anne.actor, { pollId: p.id, position: 'agree', reason: '' });
    let v = (await app.decide.poll(c.bert.actor, { pollId: p.id })).proposal!;
    expect(v.counts).toEqual({ agree: 1, abstain: 0, disagree: 0, block: 0 });
    expect(v.quorum).toMatchObject({ needed: 2, responded: 1, reached: false });
    await app.decide.respond(c.bert.actor, { pollId: p.id, position: 'abstain', reason: 'Absent ce jour-là' });
    v = (await app.decide.poll(c.bert.actor, { pollId: p.id })).proposal!;
    expect(v.quorum!.reached).toBe(true);
    await expect(app.decide.close(c.admin.actor, { pollId: p.id, outcome: '' })).rejects.toMatchObject({ issues: [{ path: 'outcome', code: 'outcome_required' }] });
    await expect(app.decide.close(c.bert.actor, { pollId: p.id, outcome: 'x' })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.decide.close(c.admin.actor, { pollId: p.id, outcome: 'La charte est **adoptée** à l’unanimité moins une abstention.' });
    await expect(app.decide.respond(c.bert.actor, { pollId: p.id, position: 'agree' })).rejects.toMatchObject({ code: 'poll_closed' });
    // Everyone hears of the outcome.
    const told = await app.db.selectFrom('notifications').select(['userId', 'itemId']).where('itemId', '=', `${p.id}:closed`).execute();
    expect(told.map((n) => n.userId).sort()).toEqual([c.anne.id, c.bert.id].sort());
    // The decision log: newest first, found by stem in any language, hidden from outsiders.
    const log = await app.decide.decisions(c.anne.actor, { groupSlug: c.g.slug, q: 'adopté' });
    expect(log.items.map((d) => [d.kind, d.title, d.url])).toEqual([['proposal', 'Adopter la charte du stand', `/polls/${p.id}`]]);
    expect(log.items[0].statementHtml).toContain('<strong>adoptée</strong>');
    expect((await app.decide.decisions(c.anne.actor, { groupSlug: c.g.slug, q: 'horaires' })).items).toEqual([]);
    await expect(app.decide.decisions(c.outsider.actor, { groupSlug: c.g.slug })).rejects.toMatchObject({ kind: 'not_found' });
    // Discussions' search never returns a decision (it joins discussions).
    expect((await app.discussions.search(c.anne.actor, { q: 'charte' })).hits).toEqual([]);
  });

  it('a member who leaves can no longer vote; a new member can', async () => {
    const p = await poll();
    const [jaune] = await optionsOf(app, p.id);
    const zoe = await makeUser(app, { name: 'Zoé' });
    await expect(app.decide.vote(await actorOf(app, zoe.id), { pollId: p.id, optionIds: [jaune.id] })).rejects.toMatchObject({ kind: 'not_found' });
    await addMember(app, c.g.id, zoe.id);
    await app.decide.vote(await actorOf(app, zoe.id), { pollId: p.id, optionIds: [jaune.id] });
    await app.groups.leave(c.bert.actor, c.g.slug);
    await expect(app.decide.vote(await actorOf(app, c.bert.id), { pollId: p.id, optionIds: [jaune.id] })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
