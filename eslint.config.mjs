// One lint configuration for every package. Formatting belongs to Prettier (eslint-config-prettier turns the
// layout rules off); what stays are rules whose findings are bugs or dead code, not taste.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const sections = ['mf-shell', 'mf-numbers', 'mf-documents', 'mf-profile'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      'artifacts/**',
      '.data/**',
      'schema/generated/**',
      'mf-*/src/graphql/generated/**',
      'gateway/bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        projectService: { allowDefaultProject: ['mf-*/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits loses its rejection: in the gateway that is an unhandled rejection, in a page a
      // failure the user never sees.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `import x = require()` is how a declaration file re-exports a CommonJS module.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      // Text bound for XLSX cells and e-mails is cleaned of control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests and benchmarks read GraphQL answers whose shape their own assertions check.
    files: ['**/*.test.ts', 'gateway/src/test/**/*.ts', 'gateway/bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['gateway/**/*.ts', '**/*.mjs', '**/*.cjs', 'gateway/jest.config.js', 'schema/index.js', '*/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: sections.map((s) => `${s}/src/**/*.{ts,vue}`),
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Browser tests hand functions to the page (page.evaluate), and jest's jsdom set-up fills in what jsdom lacks.
    files: ['mf-shell/e2e/**/*.mjs', 'mf-shell/build/jest/setup.cjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.test.ts', 'gateway/src/test/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
  },
  {
    files: ['**/*.cjs', 'gateway/jest.config.js', 'schema/index.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.vue'],
    rules: {
      // Pages are named by their route (`NumberListPage`), the kit's components by their domain; single-word names
      // such as App.vue are entry points.
      'vue/multi-word-component-names': 'off',
      // Props are typed with defineProps<T>(): an optional prop is `undefined` by its type, a default adds nothing.
      'vue/require-default-prop': 'off',
    },
  },
  prettier,
);
