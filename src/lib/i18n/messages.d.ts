/** One language's dictionary, split out at build time by ./build.ts. */
declare module 'virtual:ruche-messages/*' {
  const messages: import('./core').Dictionary;
  export default messages;
}
