// Sprig's float arithmetic (addf, add1f, subf, mulf, divf), done as shopspring/decimal does it: each float
// is taken at its shortest decimal, the arithmetic is exact (division to 16 places, half away from
// zero), and the result is the float nearest to it. So addf 1.1 2.2 is 3.3, not 3.3000000000000003.
import { toFloat64 } from '../cast.js';
import { ferr } from '../errors.js';
import { type Val, float } from '../values.js';
import { defineFuncs } from './signature.js';

/** c × 10^e. */
interface Decimal {
  c: bigint;
  e: number;
}
const DIVISION_PRECISION = 16;

/** decimal.NewFromFloat: the shortest decimal that reads back as x. */
function fromFloat(x: number): Decimal {
  if (!Number.isFinite(x)) throw ferr(`Cannot create a Decimal from ${x}`);
  const [, sign = '', whole = '0', frac = '', exp = '0'] = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x))!;
  return { c: BigInt(sign + whole + frac), e: Number(exp) - frac.length };
}
const toFloat = (d: Decimal): number => Number(`${d.c}e${d.e}`);
const scale = (d: Decimal, e: number): bigint => d.c * 10n ** BigInt(d.e - e);
const add = (a: Decimal, b: Decimal): Decimal => {
  const e = Math.min(a.e, b.e);
  return { c: scale(a, e) + scale(b, e), e };
};
const sub = (a: Decimal, b: Decimal): Decimal => add(a, { c: -b.c, e: b.e });
const mul = (a: Decimal, b: Decimal): Decimal => ({ c: a.c * b.c, e: a.e + b.e });
function div(a: Decimal, b: Decimal): Decimal {
  if (b.c === 0n) throw ferr('decimal division by 0');
  const k = a.e - b.e + DIVISION_PRECISION;
  const num = a.c * 10n ** BigInt(Math.max(k, 0));
  const den = b.c * 10n ** BigInt(Math.max(-k, 0));
  let q = num / den;
  const r = num % den;
  const abs = (n: bigint): bigint => (n < 0n ? -n : n);
  if (2n * abs(r) >= abs(den)) q += num < 0n !== den < 0n ? -1n : 1n;
  return { c: q, e: -DIVISION_PRECISION };
}

/** sprig's execDecimalOp: the first value combined with each of the rest. */
const fold = (first: Val, rest: Val[], op: (a: Decimal, b: Decimal) => Decimal): Val =>
  float(toFloat(rest.reduce((acc, x) => op(acc, fromFloat(toFloat64(x))), fromFloat(toFloat64(first)))));

export const DECIMAL_FUNCS = defineFuncs((def) => {
  def('addf', [], (a) => fold(float(0), a, add), 'any');
  def('add1f', ['any'], (a) => fold(a[0]!, [float(1)], add));
  def('subf', ['any'], (a) => fold(a[0]!, a.slice(1), sub), 'any');
  def('mulf', ['any'], (a) => fold(float(1), a, mul), 'any');
  def('divf', ['any'], (a) => fold(a[0]!, a.slice(1), div), 'any');
});
