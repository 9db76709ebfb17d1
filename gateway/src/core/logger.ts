import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import pretty from 'pino-pretty';

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

/** Where the log goes: standard output unless a test gives another stream. */
export type LogDestination = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * JSON lines, one per entry, for machines and pipes (the smoke and browser tests read them); readable text
 * (pino-pretty) when the destination is a terminal, so that a person running `npm start` reads the log as it comes.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createLogger(level: LogLevel, destination: LogDestination = process.stdout): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination.isTTY) {
    return pino(
      options,
      pretty({ destination, sync: true, colorize: destination === process.stdout, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
    );
  }
  return destination === process.stdout ? pino(options) : pino(options, destination);
}
