/** Import-map specifier → vendor entry (a one-line re-export in this folder), or a prebuilt browser file to copy. */
export const VENDOR = {
  vue: { copy: 'vue/dist/vue.runtime.esm-browser.prod.js' },
  'single-spa': { copy: 'single-spa/lib/es2015/esm/single-spa.min.js' },
  'vue-router': { entry: 'vue-router' },
  'vue-i18n': { entry: 'vue-i18n' },
  'graphql-ws': { entry: 'graphql-ws' },
  '@apollo/client/core': { entry: 'apollo-client-core', alias: ['@apollo/client/core/index.js'] },
  '@apollo/client/link/error': { entry: 'apollo-link-error' },
  '@apollo/client/link/subscriptions': { entry: 'apollo-link-subscriptions' },
  '@vue/apollo-composable': { entry: 'vue-apollo-composable' },
};
