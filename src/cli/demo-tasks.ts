import type { App } from '../lib/server/app';
import type { Actor } from '../lib/server/policy';
import { demoMembers, type MemberKey } from './demo-data';

/**
 * The demo's task boards, in French and Dutch, through the same services as the pages: the
 * market-stand rota (a weekly task with its checklist), the December newsletter, welcoming new
 * merchants; some assigned, some in progress or done, some overdue, some recurring.
 */
type Ctx = { actor: (k: MemberKey) => Promise<Actor>; slugs: Map<string, string> };
type DemoTask = {
  group: string;
  by: MemberKey;
  title: string;
  description?: string;
  assignees?: MemberKey[];
  priority?: 'urgent' | 'high' | 'normal' | 'low';
  /** Days from today (negative: overdue); with an optional time. */
  due?: number;
  time?: string;
  recurrence?: string;
  labels?: string[];
  checklist?: string[];
  /** Column after creation: the board's second column ("doing") or the done column. */
  state?: 'doing' | 'done';
  comments?: { by: MemberKey; body: string }[];
};

const labels: Record<string, { name: string; color: 'green' | 'blue' | 'red' | 'purple' | 'orange' }[]> = {
  marches: [{ name: 'Stand', color: 'green' }, { name: 'Autorisation', color: 'red' }],
  communication: [{ name: 'Nieuwsbrief / Newsletter', color: 'blue' }, { name: 'Photos', color: 'purple' }],
  prestataires: [{ name: 'Accueil / Onthaal', color: 'orange' }, { name: 'Terminal', color: 'red' }],
};

const tasks: DemoTask[] = [
  {
    group: 'marches', by: 'lucas', title: 'Tenir le stand du samedi — parvis de Saint-Gilles', assignees: ['amina'], due: 2, time: '09:00', recurrence: 'weekly', labels: ['Stand'],
    description: 'Installation à 8 h 30, démontage vers 13 h 30. La caisse est chez Lucas.',
    checklist: ['Récupérer la caisse et le terminal chez Lucas', 'Tonnelle, deux tables et la nappe Zinne', 'Flyers et affiche des tarifs', 'Rendre la caisse et noter le total'],
  },
  { group: 'marches', by: 'lucas', title: 'Standdienst zondag — Vossenplein', assignees: ['tom'], due: 3, time: '10:00', recurrence: 'weekly', labels: ['Stand'], description: 'Wie neemt de kassa mee? Tom opent, Amina sluit af.', checklist: ['Kassa ophalen', 'Tent opzetten', 'Flyers NL/FR'] },
  { group: 'marches', by: 'lucas', title: 'Renouveler l’autorisation d’occupation du domaine public', assignees: ['lucas'], priority: 'urgent', due: -4, labels: ['Autorisation'], description: 'Le formulaire de la commune est à renvoyer avant la fin du mois, sinon pas de stand en janvier.' },
  { group: 'marches', by: 'tom', title: 'Nieuwe tonnelle kopen (de oude lekt)', priority: 'low', comments: [{ by: 'amina', body: 'Je peux demander à la Ressourcerie si elles en ont une.' }] },
  {
    group: 'communication', by: 'fatima', title: 'Lettre d’information de décembre', assignees: ['fatima', 'ines'], priority: 'high', due: 6, labels: ['Nieuwsbrief / Newsletter'], state: 'doing',
    description: 'Envoi prévu le 1er décembre. Textes dans le dossier partagé, relecture croisée FR/NL.',
    checklist: ['Édito de Camille', 'Agenda des marchés de décembre', 'Portrait d’un prestataire : la Boulangerie du Parvis', 'Relecture NL par Tom', 'Test d’envoi à l’équipe'],
    comments: [{ by: 'ines', body: 'Le portrait est prêt, il manque juste une photo.' }],
  },
  { group: 'communication', by: 'fatima', title: 'Nieuwsbrief december vertalen', assignees: ['tom'], due: 4, labels: ['Nieuwsbrief / Newsletter'], description: 'De Franse tekst komt donderdag binnen.' },
  { group: 'communication', by: 'clara', title: 'Photos du marché de Noël', labels: ['Photos'], description: 'Quelqu’un a un appareil correct ? Sinon un téléphone récent suffit.' },
  { group: 'communication', by: 'fatima', title: 'Publier le bilan de novembre sur le site', assignees: ['clara'], state: 'done' },
  {
    group: 'prestataires', by: 'pieter', title: 'Accueillir les nouveaux commerçants du mois', assignees: ['sofie'], due: 10, recurrence: 'monthly', labels: ['Accueil / Onthaal'],
    description: 'Une visite d’accueil par nouveau commerçant : présentation, autocollant vitrine, compte Zinne.',
    checklist: ['Boulangerie Le Fournil (Saint-Gilles)', 'Fietsenmaker De Ketting (Vorst)', 'Épicerie Bio Vrac (Forest)'],
  },
  { group: 'prestataires', by: 'pieter', title: 'Welkomstpakket voor nieuwe handelaars samenstellen', assignees: ['pieter'], due: 5, labels: ['Accueil / Onthaal'], state: 'doing', checklist: ['Raamsticker', 'Tarievenkaart', 'Uitleg terminal'] },
  { group: 'prestataires', by: 'sofie', title: 'Relancer les trois commerçants sans terminal', assignees: ['lucas'], priority: 'high', due: -2, labels: ['Terminal'] },
  { group: 'prestataires', by: 'amina', title: 'Mettre à jour la carte des prestataires', priority: 'low' },
  { group: 'coordination', by: 'admin', title: 'Réunion de coordination mensuelle', assignees: ['admin', 'pieter'], due: 12, time: '19:00', recurrence: 'FREQ=MONTHLY;BYDAY=2TU', description: 'Ordre du jour à compléter dans la discussion du mois.' },
];

/** `YYYY-MM-DD` of today + `days` in Brussels (today by the app's clock). */
function day(now: Date, days: number): string {
  const d = new Date(now.getTime() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export async function loadDemoTasks(app: App, ctx: Ctx, out: (line: string) => void): Promise<void> {
  const labelIds = new Map<string, string>();
  for (const [group, list] of Object.entries(labels)) {
    const slug = ctx.slugs.get(group)!;
    const first = tasks.find((t) => t.group === group)!.by;
    for (const l of list) labelIds.set(`${group}|${l.name}`, (await app.tasks.addLabel(await ctx.actor(first), { groupSlug: slug, name: l.name, color: l.color })).id);
  }
  const byEmail = new Map((await app.db.selectFrom('users').select(['id', 'email']).execute()).map((u) => [u.email, u.id]));
  const idOf = (k: MemberKey) => byEmail.get(demoMembers.find((m) => m.key === k)!.email)!;
  for (const t of tasks) {
    const slug = ctx.slugs.get(t.group)!;
    const by = await ctx.actor(t.by);
    const { id } = await app.tasks.create(by, {
      groupSlug: slug, title: t.title, description: t.description ?? '', priority: t.priority ?? 'normal',
      assigneeIds: (t.assignees ?? []).map(idOf), labelIds: (t.labels ?? []).map((l) => labelIds.get(`${t.group}|${l}`)!),
      dueDate: t.due === undefined ? '' : day(app.clock.now(), t.due), dueTime: t.time ?? '', recurrence: t.recurrence ?? '',
    });
    if (t.checklist?.length) await app.tasks.addChecklist(by, { taskId: id, items: t.checklist });
    for (const c of t.comments ?? []) await app.tasks.comment(await ctx.actor(c.by), { taskId: id, body: c.body });
    if (t.state === 'done') await app.tasks.complete(by, { taskId: id });
    if (t.state === 'doing') {
      const board = await app.tasks.board(by, { groupSlug: slug });
      const v = (await app.tasks.get(by, { taskId: id })).version;
      await app.tasks.move(by, { taskId: id, version: v, columnId: board.columns[1].id, position: 0 });
    }
  }
  out(`${tasks.length} tasks on ${new Set(tasks.map((t) => t.group)).size} boards (rota, newsletter, welcoming merchants), some overdue, some recurring`);
}
