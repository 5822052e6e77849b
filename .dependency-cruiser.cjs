// tariff's layers, and the one direction imports may run between them. Checked
// by `npm run lint:layers` (part of `npm test`): a backward import fails CI.
//
//   packages/pricing   the pure pricing core: no I/O, imports only itself
//   foundation         src/config.ts, src/env_file.ts, src/upstreams.ts, src/log.ts, src/retry.ts
//   db                 src/db: connections, migrations, the embedded server
//   store, sources, fx SQL reads and writes of the catalog; upstream adapters; exchange rates
//   jobs               src/jobs (payloads), src/sync, src/discrepancy, src/webhooks: what the worker's tasks do
//   cache              src/cache: the catalog an API instance holds, kept current by LISTEN
//   serving, http      answers built from the cache; the one response writer
//   api, dashboard     routes
//   worker             src/worker: runners, schedule, liveness
//   composition        src/service.ts, src/main.ts
//   tasks/             one file per task: imports src/, never imported by it (but by src/main.ts, which wires them)
// A layer may import its own and lower layers only.
const LAYERS = [
  ['core', '^packages/pricing/src/'],
  ['foundation', '^src/(config|env_file|upstreams|log|retry)\\.ts$'],
  ['db', '^src/db/'],
  ['store', '^src/(store|sources|fx)/'],
  ['jobs', '^src/(jobs|sync|discrepancy|webhooks)/'],
  ['cache', '^src/cache/'],
  ['serving', '^src/(serving|http)/'],
  ['routes', '^src/(api|dashboard)/'],
  ['worker', '^src/worker/'],
  ['composition', '^src/(service|main)\\.ts$'],
];

const higher = (index) => LAYERS.slice(index + 1).map(([, path]) => path);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other, type-only imports included, are one module in two files.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'The pricing core imports only itself and zod (the public requests\' schemas it shares with the client): no Node built-ins, no other packages, nothing of the server.',
      from: { path: '^packages/pricing/src/' },
      to: { pathNot: ['^packages/pricing/src/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'client-has-no-server',
      severity: 'error',
      comment: 'The client runs in consumers\' processes: the pricing core and its own code, never the server, a database driver or Express.',
      from: { path: '^packages/client/src/' },
      to: { path: ['^src/', '^tasks/', '(^|/)node_modules/(pg|express|graphile-worker|pino)/'] },
    },
    {
      name: 'src-never-imports-tasks',
      severity: 'error',
      comment: 'tasks/ depends on src/; only the composition root (src/main.ts) wires the task list in.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^tasks/' },
    },
    {
      name: 'nothing-imports-scripts-or-tests',
      severity: 'error',
      comment: 'Product code never imports benchmarks, scripts or tests; tests never import benchmark code; benchmarks never import test support (what both need is in scripts/support).',
      from: { path: '^(src|tasks|packages)/' },
      to: { path: '^(scripts|test)/' },
    },
    {
      name: 'tests-do-not-import-benchmarks',
      severity: 'error',
      comment: 'scripts/support (the upstream fixture server, paths, ports) is the one copy tests and scripts share; the rest of scripts/ is not for tests.',
      from: { path: '^test/' },
      to: { path: '^scripts/', pathNot: '^scripts/support/' },
    },
    {
      name: 'benchmarks-do-not-import-test-support',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^test/' },
    },
    ...LAYERS.slice(0, -1).map(([name, path], index) => ({
      name: `${name}-imports-downward`,
      severity: 'error',
      comment: `The ${name} layer may import only itself and the layers below it.`,
      from: { path },
      to: { path: higher(index) },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['tariff-source', 'import', 'types', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
    // The workspace packages resolve through node_modules symlinks to their sources.
    preserveSymlinks: false,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
