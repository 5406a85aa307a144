// @ts-check
import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const domains = fs
  .readdirSync('src/domains', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/**
 * Layering rules (DESIGN.md §4):
 * - web code never imports server code (only contracts and browser-safe platform modules);
 * - a domain never imports another domain's repository or tables: it calls that domain's service;
 * - SQL text is never assembled from strings: `sql.raw` only in migrations and their helpers.
 */
/** exceljs only through src/platform/exceljs.ts, which carries the fix for Chinese text split across chunks. */
const EXCELJS = { name: 'exceljs', message: 'Import ExcelJS from src/platform/exceljs.ts (it fixes reading Chinese text).' };

const serverImportsForWeb = [
  { group: ['**/server/**', '**/src/server/**'], message: 'Web code never imports server code: use the API and the *.contract.ts schemas.' },
  {
    group: ['**/platform/*', '!**/platform/contract-kit.ts', '!**/platform/i18n.ts', '!**/platform/errors.ts', '!**/platform/validators.ts'],
    message: 'Only the browser-safe platform modules (contract-kit, i18n, errors, validators) may be used in web code.',
  },
  { group: ['pg', 'kysely', '@electric-sql/*', 'fastify', '@fastify/*', 'node:*'], message: 'Server packages do not belong in web code.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'tests/e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='sql'][property.name=/^(raw|lit)$/]", message: 'sql.raw/sql.lit build SQL from strings: use bound parameters (allowed only in src/server/db).' },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'React escaping only: no dangerouslySetInnerHTML.' },
        { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, not enum.' },
      ],
      'no-restricted-imports': ['error', { paths: [EXCELJS] }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
    },
  },
  {
    files: ['src/platform/exceljs.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/server/db/**'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, not enum.' }],
    },
  },
  {
    // Config files whose tools require a default export.
    files: ['*.config.ts', '*.config.js', 'eslint.config.js', 'tests/global-setup.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['src/web/**/*.{ts,tsx}', 'src/domains/*/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { paths: [EXCELJS], patterns: serverImportsForWeb }],
    },
  },
  ...domains.map((d) => ({
    files: [`src/domains/${d}/**/*.{ts,tsx}`],
    ignores: [`src/domains/${d}/web/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [EXCELJS],
          patterns: [
            {
              group: domains.filter((o) => o !== d).flatMap((o) => [`**/${o}/server/*.repository*`, `**/${o}/server/*.tables*`]),
              message: `A domain calls another domain's service, never its repository or tables (DESIGN.md §4).`,
            },
          ],
        },
      ],
    },
  })),
);
