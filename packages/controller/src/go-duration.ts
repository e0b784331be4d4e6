/**
 * Go's time.Duration text ("720h", "1h30m", "1.5s", "300ms", "0"), as the
 * Bitnami controller's flags take it, in milliseconds.
 */
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseGoDuration(text: string): number {
  const trimmed = text.trim();
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const body = trimmed.replace(/^[-+]/, '');
  if (body === '0') return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let match = part.exec(body); match; match = part.exec(body)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    end = part.lastIndex;
  }
  if (body === '' || end !== body.length) {
    throw new Error(`"${text}" is not a duration; write it like 720h, 1h30m, 10s or 500ms.`);
  }
  return sign * total;
}
