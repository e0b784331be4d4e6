// Sprig's integer and float math, and its integer sequences (seq, until, untilStep).
import { toFloat64, toInt64 } from '../cast.js';
import { ferr } from '../errors.js';
import { checkListLength } from '../limits.js';
import { type GoFloat, type Val, float, int, int64, list } from '../values.js';
import { defineFuncs, intArg } from './signature.js';

/** sprig's untilStep: start, start+step, ... up to but not including stop. */
function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start ? step >= 0 : step <= 0) return v;
  for (let i = start; stop < start ? i > stop : i < stop; i += step) {
    v.push(i);
    checkListLength(v.length);
  }
  return v;
}
/** Argument i as sprig's toInt64 casts it: its arithmetic is int64. */
const i64 = (a: Val[], i: number): bigint => toInt64(a[i]!);
const divisor = (a: Val[]): bigint => {
  const d = i64(a, 1);
  if (d === 0n) throw ferr('runtime error: integer divide by zero');
  return d;
};

export const MATH_FUNCS = defineFuncs((def) => {
  def(
    'seq',
    [],
    (a) => {
      const p = a.map((_x, i) => intArg(a, i));
      let r: number[];
      if (p.length === 1) r = untilStep(1, p[0]! + (p[0]! < 1 ? -1 : 1), p[0]! < 1 ? -1 : 1);
      else if (p.length === 2) r = untilStep(p[0]!, p[1]! + (p[1]! < p[0]! ? -1 : 1), p[1]! < p[0]! ? -1 : 1);
      else if (p.length === 3) {
        const [start, step, end] = p as [number, number, number];
        if (end < start && step > 0) return '';
        r = untilStep(start, end + (end < start ? -1 : 1), step);
      } else return '';
      return r.join(' ');
    },
    'int',
  );
  def('until', ['int'], (a) => list(untilStep(0, intArg(a, 0), intArg(a, 0) < 0 ? -1 : 1).map(int), 'int'));
  def('untilStep', ['int', 'int', 'int'], (a) => list(untilStep(intArg(a, 0), intArg(a, 1), intArg(a, 2)).map(int), 'int'));
  def('add1', ['any'], (a) => int64(i64(a, 0) + 1n));
  def('add', [], (a) => int64(a.reduce((s: bigint, _x, i) => s + i64(a, i), 0n)), 'any');
  def('sub', ['any', 'any'], (a) => int64(i64(a, 0) - i64(a, 1)));
  def('mul', ['any'], (a) => int64(a.reduce((s: bigint, _x, i) => BigInt.asIntN(64, s * i64(a, i)), 1n)), 'any');
  def('div', ['any', 'any'], (a) => int64(i64(a, 0) / divisor(a)));
  def('mod', ['any', 'any'], (a) => int64(i64(a, 0) % divisor(a)));
  def(['max', 'biggest'], ['any'], (a) => int64(a.map((_x, i) => i64(a, i)).reduce((m, x) => (x > m ? x : m))), 'any');
  def('min', ['any'], (a) => int64(a.map((_x, i) => i64(a, i)).reduce((m, x) => (x < m ? x : m))), 'any');
  def('maxf', ['any'], (a) => float(Math.max(...a.map(toFloat64))), 'any');
  def('minf', ['any'], (a) => float(Math.min(...a.map(toFloat64))), 'any');
  def('floor', ['any'], (a) => float(Math.floor(toFloat64(a[0]!))));
  def('ceil', ['any'], (a) => float(Math.ceil(toFloat64(a[0]!))));
  def(
    'round',
    ['any', 'int'],
    (a) => {
      const roundOn = a.length > 2 ? (a[2] as GoFloat).n : 0.5;
      const pow = 10 ** intArg(a, 1);
      const digit = pow * toFloat64(a[0]!);
      const frac = digit - Math.trunc(digit);
      return float((frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow);
    },
    'float64',
  );
});
