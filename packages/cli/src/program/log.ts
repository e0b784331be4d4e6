/** Messages for people on stderr; stdout carries only the command's output. */
let debugEnabled = false;

export function enableDebug(): void {
  debugEnabled = true;
}

/** Only with --debug: what sealkit decided and why. */
export function debug(message: string): void {
  if (debugEnabled) process.stderr.write(`debug: ${message}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/** Information the user should see even without --debug (kept rare). */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
