/**
 * Boundaries between feature folders, checked by `npm test` (`npm run lint:deps`).
 * Features tell people through the notification pipeline, never by calling mail; mail
 * renders what it is given and reads no other feature's data; the pipeline knows no feature.
 */
module.exports = {
  forbidden: [
    {
      name: 'features-do-not-call-mail',
      comment: 'A feature records an event and declares who hears of it (domain/<feature>/*.notify.ts); mail is a channel of the pipeline.',
      severity: 'error',
      from: { path: '^src/lib/server/domain/(?!email/)' },
      to: { path: '^src/lib/server/domain/email/' },
    },
    {
      name: 'mail-reads-no-feature',
      comment: 'Mail gets what it needs in the notice, through ports from the composition root, or from a query a feature exports for everyone (groups/group.ts).',
      severity: 'error',
      from: { path: '^src/lib/server/domain/email/' },
      to: { path: '^src/lib/server/domain/(discussions|chat|files|tasks|events|polls|decide)/|^src/lib/server/domain/groups/(?!group\\.ts$)' },
    },
    {
      name: 'pipeline-knows-no-feature',
      comment: 'The notifications module is what features plug into: it imports none of them.',
      severity: 'error',
      from: { path: '^src/lib/server/domain/notifications/' },
      to: { path: '^src/lib/server/domain/(?!notifications/)' },
    },
    {
      name: 'domain-knows-no-transport',
      comment: 'Nothing under domain/ imports pages, SvelteKit, the WebSocket server or a mail transport.',
      severity: 'error',
      from: { path: '^src/lib/server/domain/' },
      to: { path: '^src/routes/|^src/lib/server/(realtime|mail-in)/|^src/lib/server/adapters/mail/mail-transport|node_modules/(@sveltejs/kit|ws|nodemailer|smtp-server|web-push)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular-features',
      comment: 'Feature folders do not depend on each other in a circle.',
      severity: 'error',
      from: { path: '^src/lib/server/domain/([^/]+)/' },
      to: { circular: true, path: '^src/lib/server/domain/(?!$1/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.svelte'] },
  },
};
