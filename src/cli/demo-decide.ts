import type { App } from '../lib/server/app';
import { eventValues, insertEvent } from '../lib/server/domain/decide/events';
import { addDays, utcToLocal } from '../lib/server/domain/decide/time';
import type { Actor } from '../lib/server/policy';
import type { MemberKey } from './demo-data';

const TZ = 'Europe/Brussels';

/**
 * Deciding and meeting in the demo association: a date poll being answered (a guest among
 * the answers), a proposal open and one decided, a choice poll, a market stand and the
 * regional coordination meeting with its agenda, and the minutes of the last meeting (its
 * decisions in the log, its action items). Everything goes through the services the pages
 * use, except the past meeting, which no form can create any more: it is written as the
 * closing of a date poll writes one.
 */
export async function loadDemoDecide(app: App, demo: { actor: (k: MemberKey) => Promise<Actor>; slugs: Map<string, string>; userId: (k: MemberKey) => string }, out: (line: string) => void): Promise<void> {
  const { actor, slugs } = demo;
  const d = app.decide;
  const today = utcToLocal(app.clock.now(), TZ).date;
  const day = (n: number) => addDays(today, n);
  /** The next `weekday` (1 = Monday … 7 = Sunday) at least `min` days ahead. */
  const next = (weekday: number, min: number) => {
    let x = day(min);
    while (((new Date(`${x}T12:00:00Z`).getUTCDay() + 6) % 7) + 1 !== weekday) x = addDays(x, 1);
    return x;
  };
  const coordination = slugs.get('coordination')!;
  const marches = slugs.get('marches')!;
  const communication = slugs.get('communication')!;

  // A date poll being answered, in Coordination; the group lets a guest answer it too.
  await d.setGuestPolls(await actor('admin'), { groupSlug: coordination, on: true });
  const ag = await d.createDatePoll(await actor('admin'), {
    groupSlug: coordination,
    title: 'Assemblée générale : quelle date ? / Algemene vergadering: welke datum?',
    description: 'Deux soirées et un samedi matin au local de la rue de la Victoire. Répondez avant la fin de la semaine prochaine.',
    timeZone: TZ,
    // Three evenings and a Saturday morning, in the order of the calendar.
    slots: [
      { date: next(2, 16), start: '19:00', end: '21:30' },
      { date: next(4, 16), start: '19:00', end: '21:30' },
      { date: next(6, 16), start: '10:00', end: '12:30' },
    ].sort((a, b) => a.date.localeCompare(b.date)),
    deadlineDate: day(12),
    allowGuests: true,
  });
  const slots = await app.db.selectFrom('pollOptions').select('id').where('pollId', '=', ag.id).orderBy('position').execute();
  const byDay = new Map([next(2, 16), next(4, 16), next(6, 16)].sort().map((x, i) => [x, slots[i].id]));
  const [tue, thu, sat] = [next(2, 16), next(4, 16), next(6, 16)].map((x) => byDay.get(x)!);
  const answers: [MemberKey, Record<string, string>, string][] = [
    ['pieter', { [tue]: 'yes', [thu]: 'maybe', [sat]: 'no' }, 'Zaterdag ben ik op de markt.'],
    ['fatima', { [tue]: 'yes', [thu]: 'yes', [sat]: 'maybe' }, ''],
    ['sofie', { [tue]: 'maybe', [thu]: 'yes', [sat]: 'no' }, ''],
  ];
  for (const [k, a, comment] of answers) await d.answerDatePoll(await actor(k), { pollId: ag.id, answers: a, comment });
  const poll = await d.poll(await actor('admin'), { pollId: ag.id });
  const token = poll.guestLink!.split('/').pop()!;
  await d.answerAsGuest({ token, name: 'Marc (Zinne Forest)', answers: { [tue]: 'yes', [thu]: 'no', [sat]: 'yes' }, comment: 'Je représente le comptoir de Forest.' });

  // A proposal open, and one decided.
  const charter = await d.createProposal(await actor('fatima'), {
    groupSlug: coordination,
    title: 'Adopter la charte des commerçants partenaires',
    description: 'La charte fixe ce que nous demandons aux commerçants (affichage, accueil des paiements en Zinne) et ce que nous leur offrons (visibilité, annuaire).\n\nLe texte est dans le dossier partagé.',
    timeZone: TZ,
    deadlineDate: day(9),
    deadlineTime: '20:00',
    quorum: 'percent',
    quorumValue: 50,
  });
  await d.respond(await actor('admin'), { pollId: charter.id, position: 'agree', reason: 'Elle reprend ce que nous avions discuté en janvier.' });
  await d.respond(await actor('pieter'), { pollId: charter.id, position: 'abstain', reason: 'Ik heb de tekst nog niet helemaal gelezen.' });
  const fee = await d.createProposal(await actor('admin'), {
    groupSlug: coordination,
    title: 'Commission de reconversion à 2 %',
    description: 'Passer la commission de reconversion (Zinne → euros) de 3 % à 2 % pour les commerçants partenaires.',
    timeZone: TZ,
    deadlineDate: day(5),
  });
  await d.respond(await actor('jean'), { pollId: fee.id, position: 'agree', reason: 'Le fonds de garantie le permet.' });
  await d.respond(await actor('fatima'), { pollId: fee.id, position: 'agree', reason: '' });
  await d.respond(await actor('sofie'), { pollId: fee.id, position: 'disagree', reason: 'Liever eerst een jaar evalueren.' });
  await d.close(await actor('admin'), { pollId: fee.id, outcome: 'Adopté par consentement : la commission de reconversion passe à **2 %** au 1er du mois prochain. Évaluation dans un an, comme Sofie le demande.' });

  // A choice poll in Communication.
  const poster = await d.createChoicePoll(await actor('fatima'), {
    groupSlug: communication,
    title: 'Quel visuel pour l’affiche du marché ?',
    description: 'Les trois propositions sont dans la discussion « Affiches ».',
    timeZone: TZ,
    options: ['La ruche', 'Le billet de 5 Zinne', 'Le marché en dessin'],
    results: 'voted',
    deadlineDate: day(7),
  });
  for (const [k, i] of [['ines', 0], ['clara', 2], ['tom', 0]] as const) {
    const options = await app.db.selectFrom('pollOptions').select('id').where('pollId', '=', poster.id).orderBy('position').execute();
    await d.vote(await actor(k), { pollId: poster.id, optionIds: [options[i].id] });
  }

  // Upcoming events: a market stand (open group), the regional coordination meeting with its agenda.
  const stand = await d.createEvent(await actor('lucas'), {
    groupSlug: marches,
    title: 'Stand Zinne au marché de Saint-Gilles',
    description: 'Nous tenons le stand : change d’euros en Zinne, liste des commerçants, adhésions. Apportez la caisse et les dépliants.',
    timeZone: TZ,
    startDate: next(7, 3),
    startTime: '09:00',
    endTime: '13:00',
    location: 'Parvis de Saint-Gilles, 1060 Saint-Gilles',
    capacity: 6,
  });
  for (const [k, a] of [['amina', 'yes'], ['tom', 'maybe']] as const) await d.rsvp(await actor(k), { eventId: stand.id, answer: a });
  const meeting = await d.createEvent(await actor('admin'), {
    groupSlug: coordination,
    title: 'Réunion de coordination régionale',
    description: 'Avec les comptoirs de Forest, Ixelles et Schaerbeek. / Met de comptoirs van Vorst, Elsene en Schaarbeek.',
    timeZone: TZ,
    startDate: next(2, 6),
    startTime: '19:00',
    endTime: '21:30',
    location: 'Local de la rue de la Victoire 96, 1060 Saint-Gilles',
    onlineUrl: 'https://meet.example.org/zinne-coordination',
    isMeeting: true,
  });
  const discussion = await app.db.selectFrom('discussions as x').innerJoin('groups as g', 'g.id', 'x.groupId').select(['x.id', 'x.title']).where('g.slug', '=', coordination).orderBy('x.createdAt').executeTakeFirst();
  const items: [MemberKey, string, number, string | undefined][] = [
    ['admin', 'Tour de table des comptoirs', 20, undefined],
    ['jean', 'Budget du second semestre', 30, undefined],
    ['fatima', discussion?.title ?? 'Charte des commerçants', 25, discussion?.id],
    ['pieter', 'Marché de Noël : qui fait quoi ?', 20, undefined],
  ];
  for (const [k, title, durationMin, discussionId] of items) await d.addAgendaItem(await actor('admin'), { eventId: meeting.id, title, ownerId: demo.userId(k), durationMin, discussionId });
  for (const [k, a] of [['pieter', 'yes'], ['fatima', 'yes'], ['jean', 'maybe'], ['sofie', 'no']] as const) await d.rsvp(await actor(k), { eventId: meeting.id, answer: a });

  // The last meeting, three weeks ago, with its minutes.
  const group = await app.db.selectFrom('groups').select('id').where('slug', '=', coordination).executeTakeFirstOrThrow();
  const past = await app.db.transaction().execute((tx) =>
    insertEvent(tx, {
      groupId: group.id,
      authorId: demo.userId('admin'),
      values: eventValues({ title: 'Réunion de coordination', description: '', timeZone: TZ, allDay: false, startDate: day(-21), startTime: '19:00', endTime: '21:00', location: 'Local de la rue de la Victoire 96, 1060 Saint-Gilles', isMeeting: true, capacity: undefined, onlineUrl: undefined, endDate: undefined }, new Date(0)),
      rrule: '',
      at: app.clock.now(),
    }),
  );
  const pastItems: string[] = [];
  for (const title of ['Nouveaux commerçants partenaires', 'Subside régional']) pastItems.push((await d.addAgendaItem(await actor('admin'), { eventId: past, title, ownerId: demo.userId('admin') })).id);
  await d.saveMinutes(await actor('admin'), {
    eventId: past,
    minutes: 'Présents : Camille, Pieter, Fatima, Jean-Marc. Excusée : Sofie.',
    items: [
      { id: pastItems[0], notes: 'Trois commerçants de Saint-Gilles ont demandé à rejoindre le réseau (une boulangerie, un vélociste, une librairie).', decision: 'Les trois commerçants sont acceptés ; Fatima leur envoie la charte.' },
      { id: pastItems[1], notes: 'Le dossier de subside doit être rentré avant la fin du mois.', decision: 'Jean-Marc dépose le dossier de subside au nom de l’association.' },
    ],
    actions: [
      { title: 'Envoyer la charte aux trois nouveaux commerçants', assigneeId: demo.userId('fatima'), dueDate: day(-14), itemId: pastItems[0] },
      { title: 'Déposer le dossier de subside', assigneeId: demo.userId('jean'), dueDate: day(4), itemId: pastItems[1] },
    ],
  });
  out('a date poll being answered, a proposal open and one decided, a choice poll, a market stand, the regional coordination meeting with its agenda, the minutes of the last meeting');
}
