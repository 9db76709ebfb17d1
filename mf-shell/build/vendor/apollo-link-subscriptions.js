export * from '@apollo/client/link/subscriptions';
