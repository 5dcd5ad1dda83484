import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ANSWER_SCHEMAS_FILE, ANSWER_TYPES, generateAnswerSchemas } from './answer-schemas';

const ROOT = path.resolve(__dirname, '..', '..');

/** The committed answer schemas are what the answer types give today: change a type, run `npm run openapi:answers`. */
describe('the OpenAPI schemas of the answers', () => {
  const generated = generateAnswerSchemas(ROOT);

  it('are current (else: npm run openapi:answers)', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, ANSWER_SCHEMAS_FILE), 'utf8'))).toEqual(generated);
  });

  it('describe every answer type, with the domain unions as enums', () => {
    expect(Object.keys(generated)).toEqual(expect.arrayContaining([...ANSWER_TYPES]));
    expect((generated.MetricName as { enum: string[] }).enum).toContain('cooperatives_good_or_fair_share');
    expect(generated.OrganizationAsOf).toMatchObject({ properties: { dissolvedOn: { type: 'string', nullable: true } } });
  });
});
