// Sprig's date functions (date.go): toDate, date, dateInZone, htmlDate, dateModify, unixEpoch, duration, now, ago.
import { ferr } from '../errors.js';
import { type GoTime, ZERO_TIME, addDuration, durationString, formatTime, inZone, parseDuration, parseTime, unixTime } from '../gotime.js';
import { type GoInt, type Val, isTime } from '../values.js';
import { defineFuncs, strArg } from './signature.js';

const now = (): GoTime => {
  const ms = Date.now();
  return unixTime(Math.floor(ms / 1000), (ms % 1000) * 1_000_000);
};

/** sprig's dateInZone: a time, or Unix seconds as an int/int64 (anything else is now), in the zone. */
function dateInZone(layout: string, date: Val, zone: string): string {
  let t: GoTime;
  if (isTime(date)) t = date;
  else if (date !== null && typeof date === 'object' && (date.k === 'int' || date.k === 'int64')) t = unixTime(Number((date as GoInt).n));
  else t = now();
  return formatTime(inZone(t, zone), layout);
}

/** time.Duration(n) * time.Second, as int64 arithmetic wraps. */
const seconds = (n: bigint): bigint => BigInt.asIntN(64, n * 1_000_000_000n);

/** strconv.ParseInt(s, 10, 64) as sprig uses it: 0 on a syntax error, clamped on a range error. */
function parseInt64(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0n;
  const n = BigInt(s);
  return n > (1n << 63n) - 1n ? (1n << 63n) - 1n : n < -(1n << 63n) ? -(1n << 63n) : n;
}

/** sprig's duration: Unix seconds as a string or an int64 (anything else is 0). */
function duration(sec: Val): string {
  let n = 0n;
  if (typeof sec === 'string') n = parseInt64(sec);
  else if (sec !== null && typeof sec === 'object' && sec.k === 'int64') n = sec.n;
  return durationString(seconds(n));
}

export const DATE_FUNCS = defineFuncs((def) => {
  def('now', [], () => now());
  def(['date'], ['string', 'any'], (a) => dateInZone(strArg(a, 0), a[1]!, 'Local'));
  def(['dateInZone', 'date_in_zone'], ['string', 'any', 'string'], (a) => dateInZone(strArg(a, 0), a[1]!, strArg(a, 2)));
  def('htmlDate', ['any'], (a) => dateInZone('2006-01-02', a[0]!, 'Local'));
  def('htmlDateInZone', ['any', 'string'], (a) => dateInZone('2006-01-02', a[0]!, strArg(a, 1)));
  def('toDate', ['string', 'string'], (a) => parseTime(strArg(a, 0), strArg(a, 1)) ?? ZERO_TIME);
  def('mustToDate', ['string', 'string'], (a) => {
    const t = parseTime(strArg(a, 0), strArg(a, 1));
    // Go's message quotes the value: this one does not.
    if (!t) throw ferr('parsing time: the value does not match the layout');
    return t;
  });
  def(['dateModify', 'date_modify'], ['string', 'time'], (a) => {
    const d = parseDuration(strArg(a, 0));
    return d === null ? a[1]! : addDuration(a[1] as GoTime, d);
  });
  def(['mustDateModify', 'must_date_modify'], ['string', 'time'], (a) => {
    const d = parseDuration(strArg(a, 0));
    if (d === null) throw ferr('time: invalid duration');
    return addDuration(a[1] as GoTime, d);
  });
  def('unixEpoch', ['time'], (a) => String((a[0] as GoTime).sec));
  def('duration', ['any'], (a) => duration(a[0]!));
});
