export * from '@vue/apollo-composable';
