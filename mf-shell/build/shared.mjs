/**
 * The libraries every section shares. They are loaded once, through the import map the gateway assembles,
 * and must never end up inside a section's bundle.
 */
export const SHARED_SPECIFIERS = [
  'vue',
  'vue-router',
  'vue-i18n',
  'graphql',
  'graphql-ws',
  '@apollo/client/core',
  '@apollo/client/link/error',
  '@apollo/client/link/subscriptions',
  '@vue/apollo-composable',
  'single-spa',
  '@cabinet/kit',
];

/** Packages whose code must come from the import map only (checked against every bundled module). */
export const SHARED_PACKAGES = [
  'vue',
  '@vue/runtime-core',
  '@vue/runtime-dom',
  '@vue/reactivity',
  '@vue/shared',
  'vue-router',
  'vue-i18n',
  '@intlify/core-base',
  '@intlify/shared',
  '@intlify/message-compiler',
  'graphql',
  'graphql-ws',
  '@apollo/client',
  '@vue/apollo-composable',
  'vue-demi',
  'single-spa',
];

// The contract's rules (@cabinet/schema/rules) are small pure functions bundled into each package that uses them.
export const isShared = (id) =>
  SHARED_SPECIFIERS.includes(id) || (id.startsWith('@cabinet/') && !id.startsWith('@cabinet/schema/')) || id.startsWith('@apollo/client/');

/** The shared package a resolved module path belongs to, if any. */
export function sharedPackageOf(moduleId) {
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(moduleId.replace(/^\0/, ''));
  if (!match) return undefined;
  const name = match[1].replace(/\\/g, '/');
  return SHARED_PACKAGES.includes(name) ? name : undefined;
}

/** Compile-time flags of Vue, vue-i18n and Apollo for production bundles. */
export const PRODUCTION_DEFINES = {
  'process.env.NODE_ENV': JSON.stringify('production'),
  'globalThis.__DEV__': 'false',
  __DEV__: 'false',
  __VUE_OPTIONS_API__: 'true',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  __VUE_I18N_FULL_INSTALL__: 'true',
  __VUE_I18N_LEGACY_API__: 'false',
  __INTLIFY_PROD_DEVTOOLS__: 'false',
  __INTLIFY_JIT_COMPILATION__: 'true',
  __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
};
