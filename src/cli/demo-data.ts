/**
 * The demo association: a Brussels local-currency association with its working groups,
 * members and discussions in French and Dutch, so a visitor can look around at once.
 */
export const demoAssociation = {
  name: 'Zinne — monnaie citoyenne bruxelloise',
  description: 'Association sans but lucratif qui fait vivre une monnaie locale à Bruxelles. / Vereniging die een lokale munt in Brussel laat leven.',
};

export const demoPassword = 'zinne-demo-2026';

export const demoMembers = [
  { key: 'admin', name: 'Camille Dubois', email: 'camille@demo.ruche.local', locale: 'fr', admin: true },
  { key: 'pieter', name: 'Pieter Janssens', email: 'pieter@demo.ruche.local', locale: 'nl' },
  { key: 'fatima', name: 'Fatima El Amrani', email: 'fatima@demo.ruche.local', locale: 'fr' },
  { key: 'lucas', name: 'Lucas Vermeulen', email: 'lucas@demo.ruche.local', locale: 'nl' },
  { key: 'ines', name: 'Inès Moreau', email: 'ines@demo.ruche.local', locale: 'fr' },
  { key: 'sofie', name: 'Sofie Claes', email: 'sofie@demo.ruche.local', locale: 'nl' },
  { key: 'jean', name: 'Jean-Marc Lambert', email: 'jean-marc@demo.ruche.local', locale: 'fr' },
  { key: 'amina', name: 'Amina Diallo', email: 'amina@demo.ruche.local', locale: 'fr' },
  { key: 'tom', name: 'Tom De Smet', email: 'tom@demo.ruche.local', locale: 'nl' },
  { key: 'clara', name: 'Clara Rossi', email: 'clara@demo.ruche.local', locale: 'en' },
] as const;
export type MemberKey = (typeof demoMembers)[number]['key'];

export type DemoGroup = {
  key: string;
  name: string;
  parent?: string;
  visibility: 'open' | 'closed' | 'secret';
  description: string;
  admins: MemberKey[];
  members: MemberKey[];
  links?: { title: string; url: string }[];
};

export const demoGroups: DemoGroup[] = [
  {
    key: 'coordination',
    name: 'Coordination',
    visibility: 'closed',
    description: 'Le groupe qui coordonne l’association : ordres du jour, décisions, suivi des groupes de travail.\n\nRéunion **un mardi sur deux** à 19 h au local de la rue de la Victoire.',
    admins: ['admin'],
    members: ['pieter', 'fatima', 'jean', 'sofie'],
    links: [
      { title: 'Dossier partagé (Drive)', url: 'https://drive.example.org/zinne-coordination' },
      { title: 'Site de la Zinne', url: 'https://zinne.example.org' },
    ],
  },
  {
    key: 'finances',
    name: 'Finances',
    parent: 'coordination',
    visibility: 'secret',
    description: 'Budget, subsides et fonds de garantie. Réservé au groupe finances.',
    admins: ['jean'],
    members: ['admin'],
  },
  {
    key: 'communication',
    name: 'Communication',
    visibility: 'open',
    description: 'Réseaux sociaux, lettre d’info, affiches et stands. Nieuwsbrief, sociale media en affiches: iedereen welkom!',
    admins: ['fatima'],
    members: ['admin', 'ines', 'clara', 'tom', 'amina'],
    links: [{ title: 'Google Group communication', url: 'https://groups.example.org/zinne-com' }],
  },
  {
    key: 'prestataires',
    name: 'Prestataires',
    visibility: 'open',
    description: 'Commerces et producteurs qui acceptent la Zinne : accueil, suivi, carte des prestataires.\n\nHandelaars en producenten die de Zinne aanvaarden.',
    admins: ['pieter'],
    members: ['admin', 'lucas', 'sofie', 'amina', 'tom'],
  },
  {
    key: 'marches',
    name: 'Marchés',
    parent: 'prestataires',
    visibility: 'open',
    description: 'Présence de la Zinne sur les marchés (Saint-Gilles, Jette, Flagey).',
    admins: ['lucas'],
    members: ['amina', 'tom'],
  },
];

export type DemoDiscussion = {
  group: string;
  author: MemberKey;
  title: string;
  body: string;
  pinned?: boolean;
  comments: { author: MemberKey; body: string }[];
  reactions?: { who: MemberKey; emoji: string }[];
};

export const demoDiscussions: DemoDiscussion[] = [
  {
    group: 'coordination',
    author: 'admin',
    title: 'Ordre du jour de la réunion du 2 décembre',
    pinned: true,
    body: 'Bonjour à toutes et à tous,\n\nVoici la proposition d’ordre du jour :\n\n1. Bilan du marché de Noël\n2. Nouveaux prestataires (voir le groupe Prestataires)\n3. Budget 2027 — @jean_marc_lambert peux-tu présenter les chiffres ?\n4. Divers\n\nAjoutez vos points en réponse.',
    comments: [
      { author: 'jean', body: 'Oui, je présenterai le budget. Je mets le tableau dans le dossier partagé d’ici vendredi.' },
      { author: 'pieter', body: 'Kunnen we ook de vertaling van de website bespreken? Er ontbreken nog enkele pagina’s in het Nederlands.' },
      { author: 'fatima', body: 'Ajouté ! Je propose aussi un point sur le stand à la fête de quartier.' },
    ],
    reactions: [
      { who: 'pieter', emoji: '👍' },
      { who: 'fatima', emoji: '👍' },
    ],
  },
  {
    group: 'coordination',
    author: 'sofie',
    title: 'Vergaderzaal in januari',
    body: 'Het lokaal in de Overwinningsstraat is in januari niet beschikbaar. Ik heb twee alternatieven gevonden: het buurthuis in Sint-Gillis en de bibliotheek van Vorst. Voorkeur?',
    comments: [
      { author: 'admin', body: 'La maison de quartier de Saint-Gilles me semble plus accessible en transports. Merci Sofie !' },
      { author: 'jean', body: 'D’accord pour Saint-Gilles.' },
    ],
  },
  {
    group: 'communication',
    author: 'fatima',
    title: 'Lettre d’info de décembre : qui écrit quoi ?',
    body: 'Pour la lettre de décembre il nous faut :\n\n- un portrait de prestataire\n- l’agenda des marchés\n- un mot sur le budget participatif\n\n@ines_moreau tu voulais faire le portrait ?',
    comments: [
      { author: 'ines', body: 'Oui ! Je passe chez la boulangerie de la place Bethléem jeudi.' },
      { author: 'clara', body: 'I can proofread the English version of the newsletter if we do one this time.' },
      { author: 'tom', body: 'Ik vertaal graag naar het Nederlands.' },
    ],
    reactions: [{ who: 'ines', emoji: '🎉' }],
  },
  {
    group: 'communication',
    author: 'tom',
    title: 'Nieuwe affiches voor de markten',
    body: 'De oude affiches zijn versleten. Ik stel een nieuw ontwerp voor, tweetalig, met de kaart van de handelaars. Feedback welkom!',
    comments: [{ author: 'amina', body: 'Super idée. Pensez à une version A5 pour les vitrines.' }],
  },
  {
    group: 'prestataires',
    author: 'pieter',
    title: 'Accueil des nouveaux prestataires — procédure',
    body: 'Voici la procédure proposée pour accueillir un nouveau commerce :\n\n1. Premier contact et visite\n2. Signature de la charte\n3. Ouverture du compte et formation à la caisse\n4. Ajout sur la carte\n\nDes remarques ?',
    comments: [
      { author: 'lucas', body: 'Misschien ook een sticker voor de etalage bij stap 4?' },
      { author: 'sofie', body: 'Goed idee, ik bestel er 200.' },
      { author: 'amina', body: 'Je peux faire les visites à Molenbeek.' },
    ],
  },
  {
    group: 'marches',
    author: 'lucas',
    title: 'Planning des stands — marché de Saint-Gilles',
    body: 'Qui est disponible pour tenir le stand les dimanches de décembre ? Répondez avec vos dates.',
    comments: [
      { author: 'amina', body: 'Le 7 et le 21.' },
      { author: 'tom', body: '14 december, in de voormiddag.' },
    ],
  },
  {
    group: 'finances',
    author: 'jean',
    title: 'Demande de subside régional',
    body: 'Le dossier de subside doit partir avant le 15 janvier. Je prépare le budget prévisionnel.',
    comments: [{ author: 'admin', body: 'Merci Jean-Marc, je relis ce week-end.' }],
  },
];

export type DemoChatMessage = { author: MemberKey; body: string };

/** What the working groups said in their chats, in the languages their members write. */
export const demoChats: { group: string; messages: DemoChatMessage[] }[] = [
  {
    group: 'communication',
    messages: [
      { author: 'fatima', body: 'Bonjour à toutes et à tous ! Les affiches du marché de Noël sont arrivées 🎄' },
      { author: 'ines', body: 'Super ! Je peux en prendre 20 pour Saint-Gilles.' },
      { author: 'ines', body: 'Et je passe à la boulangerie de la place Bethléem jeudi.' },
      { author: 'tom', body: 'Ik neem er 15 mee voor Anderlecht 👍' },
      { author: 'clara', body: 'I can put some up at the library in Ixelles, 10 is enough.' },
      { author: 'amina', body: "Qui s'occupe des photos samedi ? J'ai un appareil, je peux venir de 10 h à midi." },
      { author: 'fatima', body: 'Merci Amina ! Je crée la tâche, tu peux la prendre.' },
    ],
  },
  {
    group: 'prestataires',
    messages: [
      { author: 'pieter', body: 'Goeiemorgen! De nieuwe terminal voor de bakkerij is binnen.' },
      { author: 'lucas', body: 'Top, ik breng hem morgen langs.' },
      { author: 'sofie', body: 'Vergeet de handleiding in het Frans niet, de eigenaar leest liever Frans.' },
      { author: 'amina', body: "Je l'ai imprimée, elle est dans le casier du bureau." },
      { author: 'pieter', body: 'Merci Amina! 🙏' },
    ],
  },
  {
    group: 'coordination',
    messages: [
      { author: 'admin', body: "Rappel : réunion de coordination dimanche à 19 h, l'ordre du jour est ouvert." },
      { author: 'jean', body: "J'y serai. J'ajoute le point sur le budget participatif." },
      { author: 'sofie', body: 'Ik kom iets later, rond 19u30.' },
    ],
  },
];
