/**
 * What kubeseal's Go flag handling (pflag + pflagenv) accepts and commander does not:
 * `--bool=false`, `-o=yaml`, and every flag set from SEALED_SECRETS_<FLAG>. Also the
 * rule that a flag of the root command given to a subcommand it means nothing to is
 * refused rather than silently ignored.
 */
import type { Command, Option } from 'commander';
import { CliError } from './errors.js';

/** Usage errors exit 2, as pflag's do. */
export const USAGE_EXIT_CODE = 2;

/** The root options that are kubeseal's flags: SEALED_SECRETS_<FLAG> sets them (kubeseal's pflagenv). */
const kubesealFlags = new WeakSet<Option>();

export function markKubesealFlag(option: Option): Option {
  kubesealFlags.add(option);
  return option;
}

export const environmentVariable = (option: Option) => `SEALED_SECRETS_${option.long!.slice(2).toUpperCase().replace(/-/g, '_')}`;

/** Go's strconv.ParseBool; undefined for anything else. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/**
 * pflag's syntax turned into commander's: `--flag=false` for a boolean flag drops it,
 * `--flag=true` keeps it, and `-o=yaml` is `-o yaml`. SEALED_SECRETS_VERSION asks for --version.
 */
export function normalizeGoFlags(argv: readonly string[], program: Command): string[] {
  const booleans = new Set(
    [program, ...program.commands].flatMap((command) =>
      command.options.filter((option) => option.isBoolean()).map((option) => option.long),
    ),
  );
  const out = argv.slice(0, 2);
  if (parseGoBool(process.env.SEALED_SECRETS_VERSION ?? '')) out.push('--version');
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const long = /^(--[^=]+)=(.*)$/s.exec(arg);
    if (long && booleans.has(long[1])) {
      const value = parseGoBool(long[2]!);
      if (value === undefined)
        throw new CliError(`The flag ${long[1]} takes true or false after "="; see 'sealkit --help'.`, USAGE_EXIT_CODE);
      if (value) out.push(long[1]!);
      continue;
    }
    const short = /^(-[a-zA-Z])=(.*)$/s.exec(arg);
    if (short) out.push(short[1]!, short[2]!);
    else out.push(arg);
  }
  return out;
}

/** Sets every kubeseal flag not given on the command line from its SEALED_SECRETS_<FLAG> variable. */
export function applyEnvironment(command: Command): void {
  for (const option of command.options) {
    if (!kubesealFlags.has(option)) continue;
    const variable = environmentVariable(option);
    const text = process.env[variable];
    const key = option.attributeName();
    if (text === undefined || command.getOptionValueSource(key) === 'cli') continue;
    if (option.isBoolean()) {
      const value = parseGoBool(text);
      if (value === undefined) throw new CliError(`$${variable} must be true or false (or 1 or 0).`, USAGE_EXIT_CODE);
      if (value) command.setOptionValueWithSource(key, true, 'env');
      continue;
    }
    let value: unknown = text;
    try {
      if (option.parseArg) value = option.parseArg(text, Array.isArray(option.defaultValue) ? [] : (option.defaultValue as string));
    } catch (error) {
      throw new CliError(`$${variable} is not a valid value for ${option.long}: ${(error as Error).message}`, USAGE_EXIT_CODE);
    }
    command.setOptionValueWithSource(key, value, 'env');
  }
}

/** Refuses root flags given on the command line to a subcommand that has no use for them. */
export function refuseForeignRootFlags(program: Command, subcommand: Command, allowed: ReadonlySet<string>): void {
  for (const option of program.options) {
    const key = option.attributeName();
    if (program.getOptionValueSource(key) !== 'cli' || allowed.has(key)) continue;
    throw new CliError(
      `${option.long} does not apply to 'sealkit ${subcommand.name()}'; see 'sealkit ${subcommand.name()} --help'.`,
      USAGE_EXIT_CODE,
    );
  }
}
