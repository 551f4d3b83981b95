/**
 * The layer rule, executable (`npm run lint:layers`, part of `npm run lint`). Imports point down only:
 *   slack/ jobs/ agent/ playground/  →  domain/  →  integrations/ db/  →  lib/
 * Tests (`*.test.ts`) and test/support may reach across layers; product code may not.
 */
const PRODUCT = '^src/(?!generated/).*(?<!\\.test)\\.ts$'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-stays-below-the-surfaces',
      comment: 'domain/ holds the business rules: it never imports the Slack surface, the agent, jobs or the playground.',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(slack|agent|jobs|playground)/' },
    },
    {
      name: 'domain-knows-nothing-of-slack-or-langchain',
      comment: 'domain/ never imports Slack or LangChain packages.',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: '\\.test\\.ts$' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        path: 'node_modules/(@slack/|langchain|@langchain/)',
      },
    },
    {
      name: 'integrations-and-db-stay-below-the-domain',
      comment: 'integrations/ and db/ are clients and storage: they never import the domain, the Slack surface, the agent or jobs.',
      severity: 'error',
      from: { path: '^src/(integrations|db)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(domain|slack|agent|jobs|playground)/' },
    },
    {
      name: 'lib-imports-nothing-of-ours',
      comment: 'lib/ is the bottom layer: it imports only itself and packages.',
      severity: 'error',
      from: { path: '^src/lib/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(?!lib/)' },
    },
    {
      name: 'jobs-do-not-post-to-slack-themselves',
      comment: 'jobs/ depend on a delivery interface; the Slack side (slack/outbound) implements it.',
      severity: 'error',
      from: { path: '^src/jobs/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(slack|agent|playground)/' },
    },
    {
      name: 'surfaces-do-not-reach-meta-errors',
      comment: 'The domain maps Meta errors to AppError (domain/meta-errors.ts); slack/ and jobs/ never import the Meta client.',
      severity: 'error',
      from: { path: '^src/(slack|jobs)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/integrations/meta/' },
    },
    {
      name: 'product-code-does-not-import-tests',
      comment: 'Nothing under src/ imports test/ or bench/ (test support is for tests).',
      severity: 'error',
      from: { path: PRODUCT },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: { path: PRODUCT },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
}
