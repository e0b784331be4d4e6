// Sprig's lenient value conversions: strval and strslice, and spf13/cast's ToInt64 and ToFloat64.
import { fmtV } from './format.js';
import { parseGoFloat, parseGoInt } from './strconv.js';
import { type Val, isInt, isList } from './values.js';

/** sprig's strval: strings as is, anything else through fmt's %v. */
export const strval = (v: Val): string => (typeof v === 'string' ? v : fmtV(v));
/** sprig's strslice. */
export function strslice(v: Val): string[] {
  if (v === null) return [];
  if (isList(v)) return v.items.filter((x) => x !== null).map(strval);
  return [strval(v)];
}
/** spf13/cast ToInt64 as sprig uses it (errors become 0). */
export function toInt64(v: Val): bigint {
  if (v === null) return 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    let s = v;
    // cast's trimZeroDecimal: "12.00" -> "12"
    for (let i = s.length, zero = false; i > 0; i--) {
      const c = s[i - 1];
      if (c === '.' && zero) {
        s = s.slice(0, i - 1);
        break;
      }
      if (c === '0') zero = true;
      else if (c !== '.') break;
    }
    return parseGoInt(s) ?? 0n;
  }
  if (isInt(v)) return v.n;
  // Go's float-to-int64 conversion on amd64 gives the minimum int64 for NaN and out-of-range values.
  if (v.k === 'float64') return Number.isFinite(v.n) && Math.abs(v.n) < 2 ** 63 ? BigInt(Math.trunc(v.n)) : -(1n << 63n);
  return 0n;
}
/** spf13/cast ToFloat64 as sprig uses it (errors become 0). */
export function toFloat64(v: Val): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseGoFloat(v) ?? 0;
  if (isInt(v)) return Number(v.n);
  return v.k === 'float64' ? v.n : 0;
}
