/**
 * A JSON stream: several JSON values one after another, as sealkit (and
 * `kubectl get -o json` on several names) prints several objects.
 */
export interface JsonValueRange {
  start: number;
  end: number;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * The ranges of the top-level objects and arrays in `text`, found by matching
 * brackets outside strings; undefined when `text` is not such a stream. The
 * values themselves are checked later by JSON.parse.
 */
export function splitJsonStream(text: string): JsonValueRange[] | undefined {
  const ranges: JsonValueRange[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      if (depth === 0) return undefined;
      inString = true;
    } else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (depth === 0) return undefined;
      if (--depth === 0) ranges.push({ start, end: i + 1 });
    } else if (depth === 0 && !WHITESPACE.has(c)) {
      return undefined;
    }
  }
  return depth === 0 && !inString && ranges.length > 0 ? ranges : undefined;
}

/**
 * The offset of the first key that repeats an earlier key of the same object in
 * `json`, a text JSON.parse accepted; undefined when every key is unique.
 */
export function repeatedKeyOffset(json: string): number | undefined {
  // One entry per open container: the keys seen so far in an object, undefined for an array.
  const open: (Set<string> | undefined)[] = [];
  let expectingKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const start = i;
      for (i++; i < json.length && json[i] !== '"'; i++) if (json[i] === '\\') i++;
      if (!expectingKey) continue;
      const keys = open.at(-1)!;
      const key = JSON.parse(json.slice(start, i + 1)) as string; // "a" and "\u0061" are one key
      if (keys.has(key)) return start;
      keys.add(key);
      expectingKey = false;
    } else if (c === '{' || c === '[') {
      open.push(c === '{' ? new Set() : undefined);
      expectingKey = c === '{';
    } else if (c === '}' || c === ']') {
      open.pop();
      expectingKey = false;
    } else if (c === ',') {
      expectingKey = open.at(-1) !== undefined;
    }
  }
  return undefined;
}

/**
 * The string tokens (keys and values, as written, quotes included) of
 * `text.slice(start, end)`, each with its offset, or -1 when it occurs more than
 * once there: one pass, for finding many values in a large document.
 */
export function stringTokenOffsets(text: string, start: number, end: number): Map<string, number> {
  const offsets = new Map<string, number>();
  for (let i = start; i < end; i++) {
    if (text[i] !== '"') continue;
    const tokenStart = i;
    for (i++; i < end && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    const token = text.slice(tokenStart, i + 1);
    offsets.set(token, offsets.has(token) ? -1 : tokenStart);
  }
  return offsets;
}
