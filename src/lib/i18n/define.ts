/** A message: text with `{param}` holes, or plural forms chosen by `count`. */
export type Msg = string | { one: string; other: string; zero?: string };

/**
 * Declares one feature's messages in the three languages. French and Dutch must carry
 * exactly the English keys: a missing translation is a type error, not a blank on a page.
 * Marked free of side effects so that a bundle which does not use the texts drops them.
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineMessages<K extends string>(m: { en: Record<K, Msg>; fr: Record<K, Msg>; nl: Record<K, Msg> }) {
  return m;
}
