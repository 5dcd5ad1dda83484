// Three layers (architecture.md, "Tests"): pure unit specs, integration specs
// against a real (embedded) PostgreSQL, and end-to-end specs over real HTTP.
const fs = require('node:fs');
const swcConfig = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcConfig.$schema;

const moduleNameMapper = {
  '^@ktt/(domain|event-store|read-models|application|datagen|platform|testing|auth|transparency)$': '<rootDir>/libs/$1/src',
  '^@ktt/(domain|event-store|read-models|application|datagen|platform|testing|auth|transparency)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
};

module.exports = {
  // A root option (jest ignores it per project): real servers and processes need more than 5 s.
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,infra,test}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,infra}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/postgres/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/postgres/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/postgres/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/postgres/global-teardown.ts',
    },
  ],
};
