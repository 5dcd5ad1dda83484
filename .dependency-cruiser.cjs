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
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'libs/domain is the pure core (events, commands, decide/evolve): it may import only other files of ' +
        'libs/domain. No npm packages, no Node built-ins (node:crypto, fs, ...), no other lib, no app. ' +
        'Its own tests (*.spec.ts, *.int-spec.ts) are not domain code and may use fast-check or @ktt/testing.',
      from: { path: '^libs/domain/', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { pathNot: '^libs/domain/' },
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
        'Its integration specs may: they drive the real command path to produce events.',
      from: { path: '^libs/read-models/', pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: '^libs/application/' },
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
