-- The application role of docker-compose.yml (architecture.md, "Runtime modes",
-- least privilege), run by the one-shot `postgres-roles` service on every
-- `docker compose up`, so a volume made before it gets the role too.
--
-- The owner is the database's superuser of this image (POSTGRES_USER, `ktt`):
-- the api and projector run the migrations as it (MIGRATION_DATABASE_URL) and
-- then grant the application role what it may do (libs/platform/src/database/
-- roles.ts: read and append events, write and rebuild read models; never
-- UPDATE, DELETE or TRUNCATE events, nor touch their trigger). The
-- application connects as `ktt_app` (DATABASE_URL).
-- The password is a local-development default, like the others in the file.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ktt_app') THEN
    CREATE ROLE ktt_app;
  END IF;
END $$;
ALTER ROLE ktt_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD 'ktt_app';
