import type { Writable } from 'node:stream';
import winston from 'winston';
import type { LogLevel } from './config.js';
import { currentContext } from './context.js';
import { REDACTED, isSecretKey, redactDeep } from './redact.js';
import { currentTraceIds } from './tracing.js';

export type Logger = winston.Logger;

export interface LoggerOptions {
  /** Where JSON lines go instead of stdout (tests capture them this way). */
  stream?: Writable;
}

/** Stamps each line with the correlation and trace of the work it belongs to. */
const withContext = winston.format((info) => {
  const { correlationId, eventId } = currentContext();
  const { traceId, spanId } = currentTraceIds();
  if (correlationId && info.correlationid === undefined) info.correlationid = correlationId;
  if (eventId && info.eventid === undefined) info.eventid = eventId;
  if (traceId && info.trace_id === undefined) info.trace_id = traceId;
  if (spanId && info.span_id === undefined) info.span_id = spanId;
  return info;
});

/** Masks secret-named fields and URL passwords anywhere in a line, the message included. */
const withoutSecrets = winston.format((info) => {
  const fields = info as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    fields[key] = isSecretKey(key) ? REDACTED : redactDeep(fields[key]);
  }
  return info;
});

/** A JSON-lines logger; every line carries `service`, and `correlationid` / `trace_id` when known. */
export function createLogger(service: string, level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { service },
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      withContext(),
      withoutSecrets(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [
      options.stream
        ? new winston.transports.Stream({ stream: options.stream })
        : new winston.transports.Console(),
    ],
  });
}
