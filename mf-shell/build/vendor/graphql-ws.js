// The client half only: the server half would pull in graphql's executor.
export { createClient, CloseCode, MessageType } from 'graphql-ws';
