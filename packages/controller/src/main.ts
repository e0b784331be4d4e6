/** sealkit-controller: reads flags, starts, and stops cleanly on SIGTERM (SIGUSR1 makes a new key, as for Bitnami's). */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { messageOf } from './error-message.js';
import { parseOptions, UsageError, type ControllerOptions } from './flags.js';
import { createLogger } from './logger.js';
import { startController } from './run.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * Where @sealkit/web's built page is, relative to this bundle: build.mjs resolves the
 * package when it bundles, as the bundle runs without node_modules (in the image too).
 */
declare const SEALKIT_WEB_DIST: string;

/** The sealing page of @sealkit/web, served at / when it was built. */
function builtWebPage(): string | undefined {
  const dir = fileURLToPath(new URL(`${SEALKIT_WEB_DIST}/`, import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : undefined;
}

let options: ControllerOptions;
try {
  options = parseOptions(process.argv.slice(2), version, builtWebPage());
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(2);
}

const log = createLogger({ level: options.logLevel, format: options.logFormat, infoToStdout: options.logInfoStdout });
log.info({ version }, 'Starting sealkit-controller.');
try {
  const controller = await startController(options, log, version);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down.');
    controller.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ error: messageOf(error) }, 'Shutting down failed.');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGUSR1', () => controller.renewKeyNow());
} catch (error) {
  log.error({ error: messageOf(error) }, 'The controller could not start.');
  process.exit(1);
}
