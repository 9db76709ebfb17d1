export * from '@apollo/client/core';
