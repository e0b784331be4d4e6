/** Where results go: stdout, or a file (-w) replaced atomically. */
import { type OutputFormat } from '@sealkit/core/manifest';
import { writeSync } from 'node:fs';
import { extname } from 'node:path';
import { writeFileAtomic } from '../input/files.js';
import { CliError } from '../program/errors.js';

/** kubeseal's rule: -o picks the format, but a .yaml/.yml output file always gets YAML. */
export function outputFormat(format: string | undefined, file: string | undefined): OutputFormat {
  if (file && ['.yaml', '.yml'].includes(extname(file).toLowerCase())) return 'yaml';
  const chosen = (format ?? 'json').toLowerCase();
  if (chosen === 'json' || chosen === 'yaml' || chosen === '') return chosen === 'yaml' ? 'yaml' : 'json';
  throw new CliError(`Unsupported output format "${format}"; use -o json or -o yaml.`);
}

/**
 * Writes to fd 1 directly: process.stdout would load Node's stream and socket
 * machinery, a noticeable share of a short command's start-up.
 */
function writeStdout(data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return; // the reader went away (| head): nothing more to say
    if (code !== 'EAGAIN') throw error;
    process.stdout.write(bytes.subarray(offset)); // a non-blocking stdout: the stream waits for it
  }
}

export interface OutputOptions {
  /** Plaintext Secrets or private keys: the file is made 0600 whatever it was. */
  private?: boolean;
}

export function writeOutput(data: string | Uint8Array, file?: string, options: OutputOptions = {}): void {
  // /dev/stdout cannot be opened when stdout is a socket (as some process managers hand over).
  if (!file || file === '/dev/stdout') writeStdout(data);
  else if (options.private) writeFileAtomic(file, data, { mode: 0o600, forceMode: true });
  else writeFileAtomic(file, data);
}
