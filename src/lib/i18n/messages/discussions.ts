import { defineMessages } from '../define';

export default defineMessages({
  en: {},
  fr: {},
  nl: {},
});
