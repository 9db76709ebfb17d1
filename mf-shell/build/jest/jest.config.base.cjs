// jest for the Vue packages (STACK-NOTES recipe): jsdom, @vue/vue3-jest for SFCs, @swc/jest for TypeScript,
// the kit and the contract's rules from their source, styles stubbed.
const { join } = require('node:path');

const shell = join(__dirname, '..', '..');
const root = join(shell, '..');

/** @returns {import('jest').Config} */
module.exports = function cabinetJestConfig(dir) {
  return {
    rootDir: dir,
    testEnvironment: 'jsdom',
    testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
    roots: ['<rootDir>/src'],
    testMatch: ['**/*.test.ts'],
    moduleFileExtensions: ['ts', 'js', 'json', 'vue'],
    transform: {
      '^.+\\.vue$': ['@vue/vue3-jest', { tsConfig: join(dir, 'tsconfig.json') }],
      '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
    },
    moduleNameMapper: {
      '^@cabinet/kit$': join(shell, 'src', 'kit', 'index.ts'),
      '^@cabinet/schema/rules$': join(root, 'schema', 'rules', 'index.ts'),
      '\\.css$': join(__dirname, 'style-stub.cjs'),
      '^@apollo/client/core/index.js$': join(root, 'node_modules', '@apollo', 'client', 'core', 'core.cjs'),
    },
    globals: { __SECTION_NAME__: 'test-section', __SECTION_VERSION__: '0.0.0-test' },
    setupFiles: [join(__dirname, 'setup.cjs')],
  };
};
