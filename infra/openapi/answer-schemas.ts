import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

/**
 * The OpenAPI schemas of the api's answers, generated from their TypeScript types (the answers.ts of the
 * read models and the application) instead of written again as DTO classes: one statement of each shape.
 * `npm run openapi:answers` writes apps/api/src/openapi/answer-schemas.json, which the document merges
 * into components.schemas; answer-schemas.spec.ts fails while that file is not what the types give.
 */
export const ANSWER_TYPES = [
  'OrganizationAsOf',
  'OrganizationPage',
  'HistoryEntry',
  'PlanAnswer',
  'ProvinceProgress',
  'SeriesPoint',
  'AuditEventPage',
  'VerificationResult',
  'ProvinceFlows',
  'NationalProgress',
  'NationalSeriesPoint',
  'ImportReport',
] as const;

export const ANSWER_SCHEMAS_FILE = path.join('apps', 'api', 'src', 'openapi', 'answer-schemas.json');

type Schema = { [key: string]: unknown };

export function generateAnswerSchemas(root: string): Record<string, Schema> {
  const generator = createGenerator({
    path: path.join(root, 'libs', '{read-models,application}', 'src', 'answers.ts'),
    tsconfig: path.join(root, 'tsconfig.json'),
    type: [...ANSWER_TYPES],
    expose: 'export',
    jsDoc: 'basic',
    skipTypeCheck: true,
    additionalProperties: false,
  });
  const definitions = (generator.createSchema([...ANSWER_TYPES]).definitions ?? {}) as Record<string, Schema>;
  const schemas = Object.fromEntries(
    Object.entries(definitions).map(([name, schema]) => [componentName(name), toOpenApi30(schema, definitions) as Schema]),
  );
  // Only what an answer reaches: a definition copied in where it is nullable may be referenced nowhere else.
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const ref = (node as Schema).$ref;
      if (typeof ref === 'string') {
        const name = ref.replace('#/components/schemas/', '');
        if (!reached.has(name)) {
          reached.add(name);
          visit(schemas[name]);
        }
      }
      Object.values(node).forEach(visit);
    }
  };
  visit(ANSWER_TYPES.map((name) => ({ $ref: `#/components/schemas/${name}` })));
  return Object.fromEntries(Object.keys(schemas).filter((name) => reached.has(name)).sort().map((name) => [name, schemas[name]]));
}

/** `Page<OrganizationAsOf>` is not a valid component name (letters, digits, `.`, `-`, `_` only). */
function componentName(name: string): string {
  return decodeURIComponent(name).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/_+$/, '');
}

/**
 * JSON Schema (draft 7) as OpenAPI 3.0 (the version @nestjs/swagger writes) reads it: a null member is
 * `nullable: true`, `const` is a one-value enum, references point into components.schemas.
 */
function toOpenApi30(node: unknown, definitions: Record<string, Schema>): unknown {
  if (Array.isArray(node)) return node.map((item) => toOpenApi30(item, definitions));
  if (node === null || typeof node !== 'object') return node;
  const schema = { ...(node as Schema) };
  if (typeof schema.$ref === 'string') return { $ref: `#/components/schemas/${componentName(schema.$ref.replace('#/definitions/', ''))}` };
  if ('const' in schema) {
    schema.enum = [schema.const];
    delete schema.const;
  }
  if (Array.isArray(schema.type)) {
    const types = (schema.type as string[]).filter((type) => type !== 'null');
    if (types.length < schema.type.length) schema.nullable = true;
    schema.type = types.length === 1 ? types[0] : types;
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = schema[key] as Schema[] | undefined;
    if (!members) continue;
    const others = members.filter((member) => member.type !== 'null');
    if (others.length === members.length) continue;
    schema.nullable = true;
    if (others.length === 1) {
      delete schema[key];
      // `nullable` does not reach into a $ref (or an allOf) in OpenAPI 3.0: a nullable reference is the
      // referenced schema itself, copied in with `nullable` beside its type.
      const target = typeof others[0].$ref === 'string' ? definitions[others[0].$ref.replace('#/definitions/', '')] : others[0];
      Object.assign(schema, target, { nullable: true });
      // OpenAPI 3.0.3: `nullable` does not widen an `enum`; a nullable enum lists null itself.
      if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    } else {
      schema[key] = others;
    }
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key !== 'enum') schema[key] = toOpenApi30(value, definitions);
  }
  return schema;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));
  const schemas = generateAnswerSchemas(root);
  writeFileSync(path.join(root, ANSWER_SCHEMAS_FILE), `${JSON.stringify(schemas, null, 2)}\n`);
  process.stdout.write(`${ANSWER_SCHEMAS_FILE}: ${Object.keys(schemas).length} schemas\n`);
}
