/** The sealkit executable: parse the command line, run, and turn any failure into one line on stderr. */
import { reportError } from './program/errors.js';
import { normalizeGoFlags } from './program/go-flags.js';
import { enableDebug } from './program/log.js';
import { buildProgram } from './program/program.js';

async function main(argv: string[]): Promise<number> {
  // Known before parsing, so that even a failure while parsing gets its stack trace.
  const debugRequested = argv.includes('--debug');
  if (debugRequested) enableDebug(); // bin/sealkit.js turns source maps on for it
  const program = buildProgram()
    .exitOverride()
    .configureOutput({ outputError: () => {} }); // reportError prints the one line
  try {
    await program.parseAsync(normalizeGoFlags(argv, program));
    return 0;
  } catch (error) {
    return reportError(error, debugRequested);
  }
}

void main(process.argv).then((exitCode) => {
  if (exitCode !== 0) process.exitCode = exitCode;
});
