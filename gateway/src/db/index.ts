export { openDatabase } from './database';
