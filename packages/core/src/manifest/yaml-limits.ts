/**
 * A linear pass over the YAML lexer's tokens that refuses, before the (much slower)
 * parser and composer run, what would make them take seconds or gigabytes: deep
 * nesting, and more aliases or tags than any manifest has. It stops at the first
 * excess, so 4 MiB of "[" costs a millisecond, and caps the tokens, so the
 * parser's work is bounded too.
 */
import { Lexer } from 'yaml';

export interface YamlLimits {
  /** Flow nesting ([ {), and block nesting (indentation plus "- " / "? " on one line), each. */
  maxDepth: number;
  maxAliases: number;
  maxTags: number;
  /** Keys, values and punctuation: the parser's work (about 10 µs each) grows with them. */
  maxTokens: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxDepth: 500, maxAliases: 1000, maxTags: 10_000, maxTokens: 100_000 };

/**
 * For whole release streams and repositories (a Helm post-render, a Kustomize build, reseal and
 * validate of a tree), which hold far more than one manifest: about 3 MiB of ordinary YAML. The
 * price: hostile text at this cap takes up to about 2 s to refuse instead of 1.
 */
export const STREAM_YAML_LIMITS: Partial<YamlLimits> = { maxTokens: 1_000_000 };

export interface YamlExcess {
  found: string;
  offset: number;
}

const SCALAR = '\x1f'; // the lexer's marker before a scalar's text
const DOCUMENT = '\x02';

export function yamlExcess(text: string, limits: YamlLimits): YamlExcess | undefined {
  let offset = 0;
  let flowDepth = 0;
  let blockDepth = 0; // indentation of the line plus the block indicators on it so far
  let aliases = 0;
  let tags = 0;
  let tokens = 0;
  let previous = '';
  for (const token of new Lexer().lex(text)) {
    const start = offset;
    if (token !== SCALAR && token !== DOCUMENT && token !== '\x18') offset += token.length;
    if (++tokens > limits.maxTokens)
      return { found: `more than ${limits.maxTokens} YAML tokens (keys, values, punctuation)`, offset: start };
    if (previous === SCALAR) {
      previous = token;
      continue; // a scalar's text, whatever characters it holds
    }
    const lineStart = previous === '\n' || previous === '' || previous === DOCUMENT;
    previous = token;
    if (lineStart && token !== '\n') blockDepth = /^[ \t]+$/.test(token) ? token.length : 0;
    if (token === '\n') blockDepth = 0;
    else if (token === '[' || token === '{') {
      if (++flowDepth > limits.maxDepth) return { found: `lists or mappings nested more than ${limits.maxDepth} deep`, offset: start };
    } else if (token === ']' || token === '}') flowDepth = Math.max(0, flowDepth - 1);
    else if (token === '-' || token === '?') {
      if (++blockDepth > limits.maxDepth) return { found: `lists or mappings nested more than ${limits.maxDepth} deep`, offset: start };
    } else if (token.startsWith('*')) {
      if (++aliases > limits.maxAliases) return { found: `more than ${limits.maxAliases} YAML aliases (*)`, offset: start };
    } else if (token.startsWith('!')) {
      if (++tags > limits.maxTags) return { found: `more than ${limits.maxTags} YAML tags (!)`, offset: start };
    }
    if (blockDepth > limits.maxDepth) return { found: `lists or mappings nested more than ${limits.maxDepth} deep`, offset: start };
  }
  return undefined;
}
