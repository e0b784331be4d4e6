// Sprig's type conversion functions: toString, atoi, int, int64, float64 and toDecimal.
import { strval, toFloat64, toInt64 } from '../cast.js';
import { fmtV } from '../format.js';
import { parseGoInt } from '../strconv.js';
import { float, int, int64 } from '../values.js';
import { defineFuncs, strArg } from './signature.js';

export const CONVERSION_FUNCS = defineFuncs((def) => {
  def('toString', ['any'], (a) => strval(a[0]!));
  def('atoi', ['string'], (a) => int(/^[+-]?\d+$/.test(strArg(a, 0)) ? (parseGoInt(strArg(a, 0)) ?? 0n) : 0n));
  def('int64', ['any'], (a) => int64(toInt64(a[0]!)));
  def('int', ['any'], (a) => int(toInt64(a[0]!)));
  def('float64', ['any'], (a) => float(toFloat64(a[0]!)));
  def('toDecimal', ['any'], (a) => {
    // strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on error
    const m = /^([+-]?)([0-7]+)$/.exec(fmtV(a[0]!));
    const v = m ? (m[1] === '-' ? -1n : 1n) * BigInt('0o' + m[2]) : 0n;
    return int64(v >= -(1n << 63n) && v < 1n << 63n ? v : 0n);
  });
});
