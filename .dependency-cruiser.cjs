// The architecture's import rules (shared DESIGN: sections, kit, domains, kernel, billing), checked on every
// `npm run lint`. None is tolerated: any violation fails the build.

const SECTIONS = '(mf-numbers|mf-documents|mf-profile)';
const DOMAINS =
  '(actions|api-keys|auth|companies|numbers|operations|payments|profile|services|tariffs|usage|documents|events|releases|operator|delivery|observability|webhooks|sandbox|bulk)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'section-imports-section',
      comment: 'A section never imports another section: they talk through the URL, the shared Apollo cache or documented events.',
      severity: 'error',
      from: { path: `^${SECTIONS}/` },
      to: { path: `^${SECTIONS}/`, pathNot: '^$1/' },
    },
    {
      name: 'section-imports-shell',
      comment: 'A section reaches the shell only through the kit (mf-shell/src/kit/), which the import map shares at run time.',
      severity: 'error',
      from: { path: `^${SECTIONS}/` },
      to: { path: '^mf-shell/', pathNot: '^mf-shell/src/kit/' },
    },
    {
      name: 'domain-imports-outside',
      comment:
        "A domain imports the kernel (gateway/src/core/), the GraphQL building blocks (gateway/src/common/), its own files and other domains' and billing's index.ts only. Tests and command-line entry points (*.cli.ts) are exempt: they assemble the whole app, as main.ts does.",
      severity: 'error',
      from: { path: `^gateway/src/${DOMAINS}/`, pathNot: '\\.(test|cli)\\.ts$' },
      to: {
        path: '^gateway/src/',
        pathNot: ['^gateway/src/(core|common)/', '^gateway/src/$1/', `^gateway/src/${DOMAINS}/index\\.ts$`, '^gateway/src/billing/index\\.ts$'],
      },
    },
    {
      name: 'core-imports-gateway',
      comment: 'The kernel (gateway/src/core/) imports nothing of the gateway outside itself.',
      severity: 'error',
      from: { path: '^gateway/src/core/' },
      to: { path: '^gateway/src/', pathNot: '^gateway/src/core/' },
    },
    {
      name: 'common-imports-gateway',
      comment: 'The GraphQL building blocks (gateway/src/common/) import only the kernel.',
      severity: 'error',
      from: { path: '^gateway/src/common/' },
      to: { path: '^gateway/src/', pathNot: '^gateway/src/(core|common)/' },
    },
    {
      name: 'billing-entities-outside-billing',
      comment: "Only billing/ (the port's PostgreSQL adapter and simulator) and db/ (data source, migrations, seed) touch the billing schema's tables.",
      severity: 'error',
      from: { path: '^gateway/', pathNot: '^gateway/src/(billing|db)/' },
      to: { path: '^gateway/src/billing/billing\\.entities\\.ts$' },
    },
    {
      name: 'gateway-folder-cycle',
      comment: 'No cycles between the top folders of gateway/src: the layers depend one way (domains on core, the composition root on domains).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^gateway/src/[^/]+$' },
      to: { path: '^gateway/src/[^/]+$', circular: true },
    },
    {
      name: 'no-unresolvable',
      comment:
        'An import that resolves to nothing fails at run time. @cabinet/kit is resolved by the import map (the kit itself); @graphql-typed-document-node/core holds only type declarations.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^(@cabinet/kit|@graphql-typed-document-node/core)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The gateway's black-box tests build the whole app (gateway/src/test/), so they depend on every layer by design.
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '/graphql/generated/', '^gateway/src/test/', '^gateway/src/.+\\.test\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'gateway/tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.vue', '.mjs', '.js', '.cjs', '.json', '.d.ts'],
    },
  },
};
