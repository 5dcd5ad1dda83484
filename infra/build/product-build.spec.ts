import path from 'node:path';
import ts from 'typescript';

/**
 * What `npm run build` compiles into dist is the product only: no spec, no
 * test helper (libs/testing, `*.test-model.ts`, `*.test-harness.ts`), so no
 * test-only code or devDependency (fast-check, supertest) ships. The file
 * list is the one tsc computes from tsconfig.build.json.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const TEST_CODE = /(\.(spec|int-spec|e2e-spec|test-model|test-harness)\.ts|^libs\/testing\/.*)$/;

function buildFiles(): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.build.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error('tsconfig.build.json could not be read');
  return parsed.fileNames.map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
}

describe('the product build (tsconfig.build.json)', () => {
  it('compiles the apps and the libs', () => {
    expect(buildFiles()).toEqual(expect.arrayContaining(['apps/api/src/main.ts', 'libs/read-models/src/progress/progress-queries.ts']));
  });

  it('leaves out every spec and test helper', () => {
    expect(buildFiles().filter((file) => TEST_CODE.test(file))).toEqual([]);
  });
});
