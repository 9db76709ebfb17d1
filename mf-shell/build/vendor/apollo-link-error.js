export * from '@apollo/client/link/error';
