/** Per route directory, the keys its page and its layout and error page name (./build.ts); null in development. */
declare module 'virtual:ruche-texts/pages' {
  const pages: import('./page-keys').PageTextsMap | null;
  export default pages;
}
