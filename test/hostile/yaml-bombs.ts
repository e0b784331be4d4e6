/**
 * The hostile YAML texts of issue 12 (item 1), each of which took the `yaml` library
 * seconds to minutes and up to gigabytes before sealkit bounded its YAML reading.
 */
export const CANARY = 'CANARY-hostile-7f3a';

export const HOSTILE_YAML: Record<string, string> = {
  // 100 KB of tags: yaml's prettyErrors made its error reporting quadratic.
  'tags-100k': `${CANARY}: x\n${'!a '.repeat(33_333)}`,
  // 4 MiB of "[": 150 s and 3.7 GB in the controller.
  'brackets-4mib': '['.repeat(4 << 20),
  // 50k repeated keys in one flow mapping: one error each, and a quadratic duplicate check.
  'repeated-flow-keys-50k': `{${Array(50_000).fill(`${CANARY}: 1`).join(', ')}}`,
  // 1M unclosed "[": deep nesting.
  'unclosed-brackets-1m': `password: ${CANARY}\nx: ${'['.repeat(1 << 20)}`,
  // 300k aliases of one anchor.
  'aliases-300k': `a: &a ${CANARY}\nb: [${Array(300_000).fill('*a').join(',')}]\n`,
  // Found while bounding the above: 50k distinct keys (the duplicate check was quadratic, 31 s),
  // and texts of one token repeated, on which yaml went on through every error (up to 90 s).
  'distinct-keys-50k': Array.from({ length: 50_000 }, (_, i) => `k${i}: ${CANARY}`).join('\n'),
  'commas-1mib': `[${','.repeat(1 << 20)}`,
  'quotes-1mib': '"'.repeat(1 << 20),
  'newlines-1mib': `a: ${CANARY}\n${'\n'.repeat(1 << 20)}`,
  'anchors-1mib': '&a '.repeat(350_000),
};
