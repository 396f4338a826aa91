/**
 * Structured logging: pino, one JSON line per event, short stable `msg`, data in fields.
 * Secrets never reach a log line: OCPI tokens, Authorization headers and charger passwords are redacted
 * by path here, and code never puts them in messages. May import only pino.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type Log = Logger;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Paths pino censors wherever they appear one or two levels deep in a log record. */
const REDACT_KEYS = [
  'password', 'token', 'token_a', 'token_b', 'token_c', 'tokenA', 'tokenB', 'tokenC', 'authorization', 'Authorization',
  'password_hash', 'passwordHash', 'secret', 'privateKey', 'key',
];
const REDACT_PATHS = [
  ...REDACT_KEYS,
  ...REDACT_KEYS.map((k) => `*.${k}`),
  'headers.authorization', 'req.headers.authorization', 'request.headers.authorization',
];

export function createLog(level: LogLevel = 'info', destination?: DestinationStream): Log {
  return pino(
    {
      level,
      base: { service: 'ocpp-ocpi-bridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
