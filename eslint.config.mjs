// Flat ESLint config: type-aware rules for promises and exhaustive switches; zero warnings (see `npm run lint`).
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/** `apps/<name>/…` or `libs/<name>/…` (with the path inside it), or null for any other file. */
function moduleOf(file) {
  const [top, name, ...inside] = path.relative(ROOT, file).split(path.sep);
  return (top === 'apps' || top === 'libs') && name ? { kind: top, name, inside } : null;
}

/**
 * Module boundaries, checked on where a relative import lands: an app imports no other app, and outside a lib
 * nothing reaches past its index (libs/<lib>/src) into its files. (`@cadence/<lib>/…` is no-restricted-imports'.)
 */
const moduleBoundaries = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      otherApp:
        'apps/{{from}} imports from apps/{{to}}: an app never imports another app (share through a lib).',
      libInternals:
        'Deep import into libs/{{lib}}: import the lib through its index (@cadence/{{lib}}), exporting what is needed there.',
    },
  },
  create(context) {
    const from = moduleOf(context.filename);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = moduleOf(path.resolve(path.dirname(context.filename), source));
      if (!to) return;
      if (to.kind === 'apps' && from?.kind === 'apps' && to.name !== from.name) {
        context.report({ node, messageId: 'otherApp', data: { from: from.name, to: to.name } });
      }
      const sameLib = from?.kind === 'libs' && from.name === to.name;
      const [src, file, ...deeper] = to.inside;
      const index =
        src === 'src' && deeper.length === 0 && (file === undefined || /^index(\.ts)?$/.test(file));
      if (to.kind === 'libs' && !sameLib && !index) {
        context.report({ node, messageId: 'libInternals', data: { lib: to.name } });
      }
    };
    const fromSource = (node) => check(node.source, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ExportNamedDeclaration: (node) => node.source && fromSource(node),
      ImportExpression: (node) => node.source.type === 'Literal' && fromSource(node),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node.moduleReference, node.moduleReference.expression.value),
      'CallExpression[callee.name="require"][arguments.0.type="Literal"]': (node) =>
        check(node.arguments[0], node.arguments[0].value),
    };
  },
};

const libIndexOnly = {
  group: ['@cadence/*/*'],
  message: 'Import libs through their index (@cadence/<lib>).',
};

/** What libs/domain must not import: it is pure decisions and types, IO lives in the other libs. */
const IO_LIBRARIES = [
  'typeorm',
  'pg',
  'kafkajs',
  'express',
  'http',
  'node:http',
  'https',
  'node:https',
  'axios',
  'mappersmith',
  'pino',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.run/**', 'coverage/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { cadence: { rules: { 'module-boundaries': moduleBoundaries } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [libIndexOnly] }],
      'cadence/module-boundaries': 'error',
    },
  },
  {
    // Replaces the options above for these files, hence libIndexOnly again.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IO_LIBRARIES.map((name) => ({
            name,
            message: 'libs/domain does no IO: keep IO libraries in the other libs and the apps.',
          })),
          patterns: [
            libIndexOnly,
            {
              group: ['@nestjs/*', '@kafkajs/*', ...IO_LIBRARIES.map((name) => `${name}/*`)],
              message: 'libs/domain does no IO: keep IO libraries in the other libs and the apps.',
            },
          ],
        },
      ],
    },
  },
  {
    // Validated data is typed once, at the edge: past it, no `!` and (in apps and the core) no casts.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'error' },
  },
  {
    // Apps use repositories from persistence, never its row shapes: the records they handle live in the domain.
    files: ['apps/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='@cadence/persistence'][importKind='type']",
          message: 'Apps import no types from persistence; records and views live in @cadence/domain.',
        },
        {
          selector:
            "ImportDeclaration[source.value='@cadence/persistence'] > ImportSpecifier[importKind='type']",
          message: 'Apps import no types from persistence; records and views live in @cadence/domain.',
        },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/domain/**/*.ts', 'libs/contracts/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }] },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
