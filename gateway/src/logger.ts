import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { LogLevel } from './config';

export type Logger = FastifyBaseLogger;

/** Paths whose values never reach the log. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'variables.password',
  'variables.*.password',
  'secret',
  '*.secret',
  'code',
  '*.code',
];

export function createLogger(level: LogLevel): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
