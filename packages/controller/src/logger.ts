/**
 * Structured logs through pino, as JSON or as slog-style text (the Bitnami
 * controller's default format): time=… level=INFO msg="…" key=value.
 * Like Bitnami's, info goes to stdout and warnings and errors to stderr unless
 * --log-info-stdout=false sends everything to stderr.
 */
import { pino, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './flags.js';

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  infoToStdout: boolean;
}

type LogRecord = Record<string, unknown> & { level: string };

const quoted = (value: string) => (/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value));

export function textLine(record: LogRecord): string {
  const { time, level, msg, ...fields } = record;
  const parts = [`time=${String(time)}`, `level=${level}`, `msg=${JSON.stringify(String(msg ?? ''))}`];
  for (const [key, value] of Object.entries(fields)) {
    parts.push(`${key}=${quoted(typeof value === 'string' ? value : JSON.stringify(value))}`);
  }
  return `${parts.join(' ')}\n`;
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = {
    write(line: string) {
      const record = JSON.parse(line) as LogRecord;
      const toStdout = options.infoToStdout && (record.level === 'INFO' || record.level === 'DEBUG');
      (toStdout ? process.stdout : process.stderr).write(options.format === 'json' ? line : textLine(record));
    },
  };
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
    },
    destination,
  );
}
