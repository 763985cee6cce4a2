// Three projects: `unit` (pure logic, *.spec.ts beside the code), `integration` (test/integration/*.test.ts,
// against the real Kafka broker, schema registry and Postgres that test/setup/global-setup.ts resolves once per
// run) and `browser` (test/browser/*.test.ts: Chromium driving the operator console on the same real stack).
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
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

/** A Chromium to drive: CHROMIUM_PATH, Debian's /usr/bin/chromium, or the first on the PATH; else null. */
function findChromium() {
  const given = process.env.CHROMIUM_PATH;
  if (given) return existsSync(given) ? given : null;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // not on the PATH
    }
  }
  return null;
}

// The browser project exists only where a Chromium does (none is ever skipped test by test). The tests read the
// executable from CHROMIUM_PATH, set here for them once found.
const chromium = findChromium();
if (chromium) process.env.CHROMIUM_PATH = chromium;
else if (!process.env.JEST_WORKER_ID)
  console.log('browser tests skipped: no Chromium — apt-get install chromium or set CHROMIUM_PATH');

const browserProject = {
  displayName: 'browser',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/setup/browser-global-setup.ts',
};

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
    ...(chromium ? [browserProject] : []),
  ],
};
