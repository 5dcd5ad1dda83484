/**
 * Dependency direction, checked in CI (architecture.md: "apps → libs; domain
 * depends on nothing"). Run with:
 *
 *   npx depcruise --config .dependency-cruiser.cjs apps libs
 *
 * Every rule is an error: a violation fails the build, it is never a warning
 * people learn to ignore.
 *
 * Notes on how the rules are written:
 * - Paths are relative to the repository root. `@ktt/<lib>` aliases are
 *   resolved through tsconfig.json (`options.tsConfig`), so an aliased import
 *   is judged by the file it lands in (libs/<lib>/src/...), exactly like a
 *   relative one.
 * - `tsPreCompilationDeps: true` makes `import type` count too: the domain must
 *   not even borrow a type from a framework, and a lib must not lean on an
 *   app's types.
 * - `not-to-unresolvable` is what keeps the other rules honest: if an alias
 *   stopped resolving, its imports would no longer match `^libs/...` and the
 *   layering rules would pass silently.
 * - test/ (end-to-end suites) may import anything, so no rule starts there.
 */

/**
 * Test code: specs, and the helpers only specs import (`*.test-model.ts`,
 * `*.test-harness.ts`, beside the specs they serve). tsconfig.build.json
 * leaves all of it out of dist.
 */
const TEST_CODE = '\\.(spec|int-spec|e2e-spec|test-model|test-harness)\\.ts$';

/**
 * Where a lib's tests sit in the stack, lowest first. A test of a lib may
 * import its own lib, the libs below it and libs/testing, never a lib above
 * (nor a sibling in its layer): a spec lives where its imports point. This
 * is the production order with one choice added: the application and the
 * read models do not import each other, and their specs meet in
 * libs/read-models (whose specs drive the real command path, or the data
 * makers, to produce the events they project). libs/domain's specs have their
 * own, stricter rule below; libs/testing and the apps' specs are not limited.
 */
const SPEC_LAYERS = [['domain', 'auth'], ['event-store'], ['transparency'], ['application'], ['datagen'], ['read-models'], ['platform']];

const specLayerRules = SPEC_LAYERS.flatMap((layer, index) =>
  layer
    .filter((lib) => lib !== 'domain')
    .map((lib) => ({ lib, above: [...layer.filter((other) => other !== lib), ...SPEC_LAYERS.slice(index + 1).flat()] }))
    .filter(({ above }) => above.length > 0)
    .map(({ lib, above }) => ({
      name: `specs-where-their-imports-point-${lib}`,
      severity: 'error',
      comment:
        `A test of libs/${lib} imports only libs/${lib}, the libs below it and libs/testing; one that needs ` +
        `${above.map((other) => `libs/${other}`).join(' or ')} belongs there (SPEC_LAYERS).`,
      from: { path: `^libs/${lib}/.*${TEST_CODE}` },
      to: { path: `^libs/(${above.join('|')})/` },
    })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'libs/domain is the pure core (events, commands, decide/evolve): it may import only other files of ' +
        'libs/domain. No npm packages, no Node built-ins (node:crypto, fs, ...), no other lib, no app. ' +
        'Its specs have their own rule (domain-specs-import-only-testing).',
      from: { path: '^libs/domain/', pathNot: TEST_CODE },
      to: { pathNot: '^libs/domain/' },
    },
    {
      name: 'domain-specs-import-only-testing',
      severity: 'error',
      comment:
        "libs/domain's specs are pure too: they import the domain, libs/testing's pure helpers (given/when/then, " +
        'the stream builders, the checked-in data files) and fast-check (one property spec), nothing else: no ' +
        'store, no read model, no application, no Node built-in. A spec that needs more is an integration spec ' +
        'of the lib it reaches for.',
      from: { path: `^libs/domain/.*${TEST_CODE}` },
      to: {
        pathNot: '^(libs/domain/|libs/testing/src/(given-when-then|builders|data-files)\\.ts$|node_modules/fast-check/)',
      },
    },
    ...specLayerRules,
    {
      name: 'test-code-not-in-production',
      severity: 'error',
      comment:
        'Production code (apps/, libs/) never imports test code: libs/testing, a spec, a *.test-model.ts or a ' +
        '*.test-harness.ts. None of it is in dist (tsconfig.build.json), so such an import would fail at run time.',
      from: { path: '^(apps|libs)/', pathNot: `^libs/testing/|${TEST_CODE}` },
      to: { path: `^libs/testing/|${TEST_CODE}` },
    },
    {
      name: 'no-dev-dependencies-in-production',
      severity: 'error',
      comment:
        'Production code runs on `dependencies` alone (the image installs no devDependencies): fast-check, ' +
        'supertest and the like are for tests. Type-only imports (@types/express) vanish at compile time. ' +
        'The admin UI is bundled by vite, so its packages are build-time ones.',
      from: { path: '^(apps|libs)/', pathNot: `^libs/testing/|^apps/admin-ui/|${TEST_CODE}` },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'libs-not-to-apps',
      severity: 'error',
      comment: 'Dependencies point apps → libs, never back: a lib must not import anything under apps/.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-not-to-other-apps',
      severity: 'error',
      comment:
        'Each app (api, projector, cli) is a separate deployable; shared code belongs in libs/, not in another app.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'admin-ui-reads-only-pure-server-modules',
      severity: 'error',
      comment:
        'The admin UI takes its shapes and rules from the server (apps/admin-ui/src/api/types.ts) but runs in a ' +
        'browser: it may import only modules without I/O: the domain, the answer types of the read models and ' +
        'the application (answers.ts) and the role table (libs/auth/src/principal.ts).',
      from: { path: '^apps/admin-ui/' },
      to: {
        path: '^libs/',
        pathNot: '^libs/(domain/|read-models/src/answers\\.ts$|application/src/answers\\.ts$|auth/src/principal\\.ts$)',
      },
    },
    {
      name: 'answers-import-only-the-domain',
      severity: 'error',
      comment:
        'answers.ts declares what the api sends, for the api and the admin UI alike: types that import only the ' +
        'domain, so the browser build never reaches a database driver.',
      from: { path: '^libs/[^/]+/src/answers\\.ts$' },
      to: { pathNot: '^libs/domain/' },
    },
    {
      name: 'event-store-layering',
      severity: 'error',
      comment:
        'libs/event-store is infrastructure below the use cases and the read models: it must not import ' +
        'libs/application, libs/read-models or any app.',
      from: { path: '^libs/event-store/' },
      to: { path: '^(libs/(application|read-models)|apps)/' },
    },
    {
      name: 'read-models-not-to-application',
      severity: 'error',
      comment:
        'libs/read-models (projections, queries) sits below libs/application: it must not import it. ' +
        'Its tests may (SPEC_LAYERS): they drive the real command path to produce events.',
      from: { path: '^libs/read-models/', pathNot: TEST_CODE },
      to: { path: '^libs/application/' },
    },
    {
      name: 'datagen-only-in-tools-and-tests',
      severity: 'error',
      comment:
        'libs/datagen (the demo and the national generator) makes data for the CLI, the bench and tests. ' +
        'Production code never imports it: not libs/application (the data makers use the application, never ' +
        'the other way), not apps/api or apps/projector, not any other lib.',
      from: { path: '^(apps|libs)/', pathNot: `^apps/cli/|^libs/(datagen|testing)/|${TEST_CODE}` },
      to: { path: '^libs/datagen/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No dependency cycles (type-only imports included) anywhere in apps/ or libs/.',
      from: { pathNot: '^test/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that cannot be resolved (missing package, broken @ktt alias) would slip past every path ' +
        'rule above, so it is an error in its own right.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|\\.data|\\.test-data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
