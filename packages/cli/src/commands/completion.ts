/** sealkit completion bash|zsh|fish: scripts generated from the command definitions, so they never drift. */
import type { Command, Option } from 'commander';
import { SCOPES } from '@sealkit/core';
import { writeOutput } from '../output/output.js';
import { CliError } from '../program/errors.js';

/** Fixed answers for some options; other options taking a file, path or URL complete file names. */
const VALUE_CHOICES: Record<string, readonly string[]> = { '--scope': SCOPES, '--format': ['json', 'yaml'] };
const SHELLS = ['bash', 'zsh', 'fish'] as const;

const visible = (command: Command) => command.options.filter((option) => !option.hidden);
const takesValue = (option: Option) => option.required || option.optional;
const takesFile = (option: Option) => /<[^>]*(file|path)[^>]*>/.test(option.flags);
const flagsOf = (option: Option) => [option.short, option.long].filter((flag): flag is string => !!flag);

function bash(program: Command): string {
  const subcommands = program.commands.map((c) => c.name());
  const all = [program, ...program.commands];
  const valueFlags = (filter: (o: Option) => boolean) =>
    [
      ...new Set(
        all.flatMap((c) =>
          visible(c)
            .filter((o) => takesValue(o) && filter(o))
            .flatMap(flagsOf),
        ),
      ),
    ].join('|');
  const choiceCases = Object.entries(VALUE_CHOICES)
    .map(([flag, values]) => {
      const option = program.options.find((o) => o.long === flag)!;
      return `    ${flagsOf(option).join('|')}) COMPREPLY=($(compgen -W "${values.join(' ')}" -- "$cur")); return ;;`;
    })
    .join('\n');
  const optionCases = program.commands
    .map((c) => `    ${c.name()}) opts="${visible(c).flatMap(flagsOf).join(' ')} ${visible(program).flatMap(flagsOf).join(' ')}" ;;`)
    .join('\n');
  return `# bash completion for sealkit; load with: source <(sealkit completion bash)
_sealkit() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" sub="" i opts
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in ${subcommands.join('|')}) sub="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$prev" in
${choiceCases}
    ${valueFlags(takesFile)}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${valueFlags((o) => !takesFile(o) && !(o.long! in VALUE_CHOICES))}) return ;;
  esac
  case "$sub" in
${optionCases}
    *) opts="${visible(program).flatMap(flagsOf).join(' ')}" ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -z "$sub" ]]; then COMPREPLY=($(compgen -W "${subcommands.join(' ')}" -- "$cur"))
  elif [[ "$sub" == completion ]]; then COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur"))
  else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _sealkit sealkit
`;
}

const zshQuote = (text: string) => text.replace(/'/g, "'\\''").replace(/([[\]:])/g, '\\$1');

function zshSpecs(command: Command): string {
  return visible(command)
    .map((option) => {
      const names = flagsOf(option);
      const name = names.length > 1 ? `{${names.join(',')}}` : names[0]!;
      const choices = VALUE_CHOICES[option.long ?? ''];
      const value = !takesValue(option) ? '' : choices ? `:value:(${choices.join(' ')})` : takesFile(option) ? ':file:_files' : ':value: ';
      return `    ${names.length > 1 ? name : `'${name}`}${names.length > 1 ? "'" : ''}[${zshQuote(option.description)}]${value}'`;
    })
    .join(' \\\n');
}

function zsh(program: Command): string {
  const commands = program.commands.map((c) => `    '${c.name()}:${zshQuote(c.description())}'`).join('\n');
  const cases = program.commands
    .map(
      (c) =>
        `      ${c.name()}) _arguments \\\n${zshSpecs(c) || "    '*:file:_files'"}${c.name() === 'completion' ? ` \\\n    '1:shell:(${SHELLS.join(' ')})'` : " \\\n    '*:file:_files'"} ;;`,
    )
    .join('\n');
  return `#compdef sealkit
# zsh completion for sealkit; install with: sealkit completion zsh > "\${fpath[1]}/_sealkit"
_sealkit() {
  local -a commands
  commands=(
${commands}
  )
  local state
  _arguments -C \\
${zshSpecs(program)} \\
    '1: :->command' \\
    '*:: :->argument'
  case $state in
    command) _describe command commands ;;
    argument)
      case $words[1] in
${cases}
      esac ;;
  esac
}
_sealkit "$@"
`;
}

const fishQuote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishOption(option: Option, condition?: string): string {
  const parts = ['complete -c sealkit'];
  if (condition) parts.push(`-n ${fishQuote(condition)}`);
  if (option.short) parts.push(`-s ${option.short.slice(1)}`);
  if (option.long) parts.push(`-l ${option.long.slice(2)}`);
  const choices = VALUE_CHOICES[option.long ?? ''];
  if (choices) parts.push(`-x -a ${fishQuote(choices.join(' '))}`);
  else if (takesValue(option)) parts.push(takesFile(option) ? '-r -F' : '-x');
  parts.push(`-d ${fishQuote(option.description)}`);
  return parts.join(' ');
}

function fish(program: Command): string {
  const lines = ['# fish completion for sealkit; install with: sealkit completion fish > ~/.config/fish/completions/sealkit.fish'];
  for (const command of program.commands)
    lines.push(`complete -c sealkit -f -n __fish_use_subcommand -a ${command.name()} -d ${fishQuote(command.description())}`);
  for (const option of visible(program)) lines.push(fishOption(option));
  for (const command of program.commands) {
    const condition = `__fish_seen_subcommand_from ${command.name()}`;
    for (const option of visible(command)) lines.push(fishOption(option, condition));
  }
  lines.push(`complete -c sealkit -f -n '__fish_seen_subcommand_from completion' -a ${fishQuote(SHELLS.join(' '))}`);
  return `${lines.join('\n')}\n`;
}

export async function completionCommand(shell: string, program: Command): Promise<void> {
  const generators = { bash, zsh, fish };
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new CliError(`No completion for the shell "${shell}"; choose ${SHELLS.join(', ')}.`);
  writeOutput(generators[shell as (typeof SHELLS)[number]](program));
}
