/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked
 * against the Compose specification's own JSON schema instead
 * (architecture.md, "Tests").
 *
 * The schema is vendored, unmodified, from compose-spec/compose-spec
 * (schema/compose-spec.json, commit 00655e2222608fa6eaecdf12ac5195889ca2244a).
 * To update it, replace the file with a newer copy; this test will tell
 * whether our compose file still conforms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { load } from 'js-yaml';
import { loadConfig } from '@ktt/platform/config/app-config';

const repoRoot = join(__dirname, '..', '..');
const schemaPath = join(__dirname, 'compose-spec.schema.json');
const composePath = join(repoRoot, 'docker-compose.yml');

type ComposeService = {
  image?: string;
  volumes?: string[];
  build?: unknown;
  command?: unknown;
  ports?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test?: unknown };
  depends_on?: Record<string, { condition: string }>;
};
type ComposeFile = { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

function compileComposeSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema: string };
  // Ajv's default class implements draft-07, which is what the schema declares,
  // but under the id `http://json-schema.org/draft-07/schema#`; the schema
  // names it `https://json-schema.org/draft-07/schema`. Register the same
  // meta-schema under that spelling so the vendored schema is itself checked
  // against draft-07 (rather than switching schema validation off).
  // Strict mode stays on (an unknown keyword in the schema is an error) except
  // for strictTypes, a schema-authoring lint that the upstream file does not
  // pass (e.g. `additionalProperties` on an array in definitions/gpus). It
  // changes nothing in what is valid, so we lint our file, not theirs.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  ajv.addMetaSchema({ ...draft07MetaSchema, $id: schema.$schema });
  return ajv.compile(schema);
}

function loadCompose(): ComposeFile {
  return load(readFileSync(composePath, 'utf8')) as ComposeFile;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

describe('docker-compose.yml', () => {
  let validate: ValidateFunction;

  beforeAll(() => {
    validate = compileComposeSchema();
  });

  it('conforms to the Compose specification schema', () => {
    const valid = validate(loadCompose());
    // The message lists every schema error, so a failure says what to fix.
    expect(describeErrors(validate.errors)).toBe('');
    expect(valid).toBe(true);
  });

  describe('the schema check can fail', () => {
    it('rejects services.api.ports given as a number instead of a list', () => {
      const compose = loadCompose();
      (compose.services.api as Record<string, unknown>).ports = 3000;

      expect(validate(compose)).toBe(false);
      expect(validate.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ instancePath: '/services/api/ports', keyword: 'type' })]),
      );
    });

    it('rejects an unknown top-level key', () => {
      const compose = { ...loadCompose(), servics: {} };

      expect(validate(compose)).toBe(false);
      expect(validate.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'servics' } }),
        ]),
      );
    });

    it('rejects a depends_on condition Compose does not know', () => {
      const compose = loadCompose();
      compose.services.api.depends_on = { postgres: { condition: 'service_ready' } };

      expect(validate(compose)).toBe(false);
    });
  });

  // What the schema cannot see: cross-references between services and the
  // wiring the application relies on.
  describe('wiring', () => {
    const compose = loadCompose();
    const { services } = compose;

    it('has the four services and the one-shot that creates the application role', () => {
      expect(Object.keys(services).sort()).toEqual(['api', 'eventstoredb', 'postgres', 'postgres-roles', 'projector']);
    });

    it('waits only for services that exist and, for service_healthy, have a healthcheck', () => {
      for (const [name, service] of Object.entries(services)) {
        for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
          expect({ name, dependency, exists: dependency in services }).toEqual({ name, dependency, exists: true });
          if (condition === 'service_healthy') {
            expect({ dependency, healthcheck: Boolean(services[dependency]?.healthcheck?.test) }).toEqual({
              dependency,
              healthcheck: true,
            });
          }
        }
      }
    });

    it.each(['api', 'projector'])('%s talks to the external PostgreSQL and EventStoreDB, never the embedded one', (name) => {
      const service = services[name];
      expect(service.environment).toMatchObject({
        // Least privilege: the application role; migrations as the owner.
        DATABASE_URL: 'postgres://ktt_app:ktt_app@postgres:5432/ktt',
        MIGRATION_DATABASE_URL: 'postgres://ktt:ktt@postgres:5432/ktt',
        EVENTSTORE_CONNECTION_STRING: 'esdb://eventstoredb:2113?tls=false',
        EMBEDDED_POSTGRES: 'false',
      });
      expect(service.build).toMatchObject({ context: '.', dockerfile: 'infra/docker/Dockerfile' });
      expect(service.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        'postgres-roles': { condition: 'service_completed_successfully' },
        eventstoredb: { condition: 'service_healthy' },
      });
    });

    it('creates the application role the apps connect as, with their password, never a superuser', () => {
      const roles = services['postgres-roles'];
      const [file, target] = (roles.volumes ?? [])[0].split(':');
      expect(roles.command).toEqual(['psql', '-v', 'ON_ERROR_STOP=1', '-f', target]);
      expect(roles.environment).toMatchObject({ PGHOST: 'postgres', PGUSER: services.postgres.environment?.POSTGRES_USER });
      const sql = readFileSync(join(repoRoot, file), 'utf8');
      const app = new URL(services.api.environment!.DATABASE_URL);
      expect(sql).toContain(`CREATE ROLE ${app.username};`);
      expect(sql).toMatch(new RegExp(`ALTER ROLE ${app.username} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD '${app.password}';`));
      expect(app.username).not.toBe(new URL(services.api.environment!.MIGRATION_DATABASE_URL).username);
    });

    it('gives the api what it needs to start: JWT_SECRET (required), HOST 0.0.0.0 inside the container, published on loopback', () => {
      const environment = services.api.environment!;
      expect(environment.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?[^}]+\}$/);
      expect(environment.HOST).toBe('0.0.0.0');
      expect(services.api.ports).toEqual(['127.0.0.1:3000:3000']);
      // The api's own configuration accepts the environment compose gives it, a secret substituted.
      const config = loadConfig({ ...environment, JWT_SECRET: 'x'.repeat(48) });
      expect(config).toMatchObject({ host: '0.0.0.0', port: 3000, runProjector: false, jwtSecret: 'x'.repeat(48) });
      expect(config.migrationDatabaseUrl).toBe(environment.MIGRATION_DATABASE_URL);
    });

    it('runs each app from the built output', () => {
      expect(services.api.command).toEqual(['node', 'dist/apps/api/src/main.js']);
      expect(services.projector.command).toEqual(['node', 'dist/apps/projector/src/main.js']);
    });

    it('declares every named volume it mounts', () => {
      const declared = Object.keys(compose.volumes ?? {});
      for (const service of Object.values(services)) {
        for (const mount of ((service as { volumes?: unknown[] }).volumes ?? []) as string[]) {
          const source = mount.split(':')[0];
          if (!source.startsWith('.') && !source.startsWith('/')) expect(declared).toContain(source);
        }
      }
    });
  });
});
