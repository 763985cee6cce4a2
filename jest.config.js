// Two projects: `unit` (pure logic, *.spec.ts beside the code) and `integration` (test/**/*.test.ts, against the
// real Kafka broker, schema registry and Postgres that test/setup/global-setup.ts resolves once per run).
const libs = [
  'config',
  'contracts',
  'domain',
  'kafka',
  'maestro',
  'observability',
  'outbox',
  'persistence',
  'read-models',
  'runtime',
  'testing',
];
const moduleNameMapper = Object.fromEntries(
  libs.map((lib) => [`^@cadence/${lib}$`, `<rootDir>/libs/${lib}/src`]),
);
const transform = { '^.+\\.ts$': ['@swc/jest'] };

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
      ],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
    },
  ],
};
