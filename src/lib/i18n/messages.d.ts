/** Where each language's file is served, for a page to preload its own (./build.ts; empty in development). */
declare module 'virtual:ruche-messages/urls' {
  const urls: Partial<Record<import('./core').Locale, string>>;
  export default urls;
}

/** One language's dictionary, split out at build time by ./build.ts. */
declare module 'virtual:ruche-messages/*' {
  const messages: import('./core').Dictionary;
  export default messages;
}
