import { defineMessages } from '../define';

/** The app shell: bottom navigation, side bar, top bar, and the chat's message menu. */
export default defineMessages({
  en: {
    'shell.chats': 'Chats',
    'shell.tasks': 'Tasks',
    'shell.back': 'Back',
    'shell.more': 'More',
    'shell.account': 'Account menu',
    'chat.actions': 'Actions',
    'chat.actionsFor': 'Actions on the message from {name}',
    'chat.reactions': 'Reactions',
    'chat.you': 'You',
    'chat.list_label': 'Your chats, latest first',
    'chat.preview': '{name}: {text}',
  },
  fr: {
    'shell.chats': 'Chats',
    'shell.tasks': 'Tâches',
    'shell.back': 'Retour',
    'shell.more': 'Plus',
    'shell.account': 'Menu du compte',
    'chat.actions': 'Actions',
    'chat.actionsFor': 'Actions sur le message de {name}',
    'chat.reactions': 'Réactions',
    'chat.you': 'Vous',
    'chat.list_label': 'Vos chats, les plus récents d’abord',
    'chat.preview': '{name}\u00a0: {text}',
  },
  nl: {
    'shell.chats': 'Chats',
    'shell.tasks': 'Taken',
    'shell.back': 'Terug',
    'shell.more': 'Meer',
    'shell.account': 'Accountmenu',
    'chat.actions': 'Acties',
    'chat.actionsFor': 'Acties voor het bericht van {name}',
    'chat.reactions': 'Reacties',
    'chat.you': 'Jij',
    'chat.list_label': 'Je chats, de recentste eerst',
    'chat.preview': '{name}: {text}',
  },
});
