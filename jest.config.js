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
const transform = {
  '^.+\\.ts$': ['@swc/jest'],
  // For the packages below only (transformIgnorePatterns): their ES modules, compiled to CommonJS.
  '^.+\\.js$': [
    '@swc/jest',
    {
      swcrc: false,
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    },
  ],
};
// NestJS 12 publishes ES modules only. Node 20 require()s them natively, but Jest's own module loader does so
// only from Node 24.9 on; below that, Jest compiles them to CommonJS first.
const esmPackages = ['@nestjs'];
const transformIgnorePatterns = [`/node_modules/(?!(${esmPackages.join('|')})/)`];

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
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
    },
  ],
};
