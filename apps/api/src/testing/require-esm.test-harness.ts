import vm from 'node:vm';

/**
 * NestJS 12 is ESM-only. Jest loads it (require(esm), Node 24.9+) only when
 * started with --experimental-vm-modules, as the npm scripts start it; without
 * the flag the import fails with a puzzling "Must use import to load ES
 * Module". Imported first by api.test-harness.ts, this says what to do.
 */
if (typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function') {
  throw new Error(
    'The in-process API specs load NestJS (ESM-only) inside Jest: run them through npm (npm run test:int) or as ' +
      '`node --experimental-vm-modules node_modules/jest/bin/jest.js <spec>` on Node 24.9+.',
  );
}
