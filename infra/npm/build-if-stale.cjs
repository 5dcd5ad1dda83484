// `npm run cli` runs the built cli; this builds the TypeScript first only when the build is missing or a
// source is newer than it (a full `npm run build` took about 9 s even for `cli help`). The admin UI is not
// built here: the cli does not serve it.
// Usage: node infra/npm/build-if-stale.cjs <built entry point, e.g. dist/apps/cli/src/main.js>
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const entry = path.resolve(ROOT, process.argv[2] ?? 'dist/apps/cli/src/main.js');
// Written after a build made here; tsc's own build info is rewritten by `npm run build` when something changed.
const STAMP = path.join(ROOT, 'dist', '.build-if-stale');
const BUILD_INFO = path.join(ROOT, 'dist', '.tsbuildinfo-build');
// What tsconfig.build.json compiles (tests, the admin UI and libs/testing excluded there too).
const SOURCES = ['apps', 'libs', 'bench', 'infra'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'admin-ui', 'testing']);
const SKIP_FILE = /\.(spec|int-spec|e2e-spec|test-model|test-harness)\.ts$/;

function newestSource() {
  let newest = 0;
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) newest = Math.max(newest, statSync(path.join(ROOT, file)).mtimeMs);
  const walk = (dir) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      if (item.isDirectory()) {
        if (!SKIP_DIRS.has(item.name)) walk(path.join(dir, item.name));
      } else if (item.name.endsWith('.ts') && !SKIP_FILE.test(item.name)) {
        newest = Math.max(newest, statSync(path.join(dir, item.name)).mtimeMs);
      }
    }
  };
  for (const dir of SOURCES) if (existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
  return newest;
}

const builtAt = Math.max(...[STAMP, BUILD_INFO].map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
if (!existsSync(entry) || builtAt === 0 || newestSource() > builtAt) {
  const startedAt = new Date();
  process.stderr.write('building (sources changed since the last build)…\n');
  const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
  try {
    execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    process.exit(1); // tsc printed why
  }
  // The time the build started: a source saved while it ran is still newer, and builds again next time.
  writeFileSync(STAMP, '');
  utimesSync(STAMP, startedAt, startedAt);
}
