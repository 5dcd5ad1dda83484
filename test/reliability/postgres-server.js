// A PostgreSQL server the reliability tests can stop and start again (same port, same data dir):
// node test/reliability/postgres-server.js <dataDir> <port>
// Prints one JSON line {"url": ..., "adminUrl": ...} when ready; stops the server on SIGTERM/SIGINT.
const path = require('node:path');
const ROOT = path.resolve(__dirname, '..', '..');
const { startEmbeddedPostgres } = require(path.join(ROOT, 'dist/libs/platform/src/database/embedded-postgres.js'));
const { prepareDatabase } = require(path.join(ROOT, 'dist/libs/platform/src/database/prepare-database.js'));

async function main() {
  const [dataDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dataDir, port: Number(port), database: 'ktt', logger: require('pino')({ level: 'warn' }) });
  // Migrated and granted as the owner role, so the api runs as the application role with `url` alone.
  await prepareDatabase({ ownerUrl: server.ownerUrl, appUrl: server.url });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(JSON.stringify({ url: server.url, adminUrl: server.adminUrl }) + '\n');
  setInterval(() => undefined, 1 << 30);
}

main().catch((error) => {
  process.stderr.write(`postgres-server failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
