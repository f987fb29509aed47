// ESLint (flat config, typescript-eslint, type-aware). Runs in `npm test` before jest.
// The no-restricted-imports blocks below keep the house's shape: imports point inward (STYLE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FEATURES = '(directory|orders|checkins|help)';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Unused parameters named _x document a position (e.g. a handler's unused command); anything else unused is dead.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Rows from pg and parsed YAML/JSON are typed at the boundary with generics; the unsafe-* family would demand a
      // cast on every row access of the SQL layer without making it any safer than the typed query generic already is.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Handlers implement async interfaces (ChatFeature.handle, Channel.start) whether or not they await.
      '@typescript-eslint/require-await': 'off',
      // Stripping control characters is deliberate: NUL cannot be stored in PostgreSQL text and ids must be printable.
      'no-control-regex': 'off',
      // Koa and node-cron take promise-returning callbacks by design; floating promises stay an error.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['src/kernel/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: 'kernel/ is pure and shared: it imports nothing outside kernel/.' }] }] },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./(?!kernel/)', message: 'platform/ is plumbing with no rules: it imports only kernel/.' }] }] },
  },
  {
    files: ['src/chat/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `^(\\.\\./)+(${FEATURES.slice(1, -1)}|http)/`, message: 'chat/ knows no feature: features register with it (main.ts).' }] }],
    },
  },
  {
    files: [`src/{directory,orders,checkins,help}/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^\\.\\./${FEATURES}/(?!index\\.js$)`, message: "Features meet only through each other's index.ts." },
            { regex: '^\\.\\./chat/(?!index\\.js$)', message: 'Use chat/ through its index.ts (its ports).' },
            { regex: '^\\.\\./http/', message: 'Features register routes; http/ is the composition of them.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/*/domain/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./(?!\\.\\./kernel/)', allowTypeImports: true, message: 'domain/ is pure: at run time it imports only kernel/ (types may come from a feature index).' }] },
      ],
    },
  },
  {
    files: ['src/*/domain/*/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./\\.\\./(?!\\.\\./kernel/)', allowTypeImports: true, message: 'domain/ is pure: at run time it imports only kernel/ (types may come from a feature index).' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests read untyped JSON bodies and pass jest callbacks freely.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.{js,cjs}'], languageOptions: { globals: { module: 'readonly', require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } } },
);
