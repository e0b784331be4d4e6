// Sprig's date functions (date.go): toDate, date, dateInZone, htmlDate, dateModify, unixEpoch, duration, durationRound, now, ago.
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

const NS_PER_SECOND = 1_000_000_000n;
/** The nanoseconds from t to now, rounded to the second (time.Since(t).Round(time.Second)). */
function sinceRounded(t: GoTime): bigint {
  const n = now();
  const d = (BigInt(n.sec) - BigInt(t.sec)) * NS_PER_SECOND + BigInt(n.nsec - t.nsec);
  const r = d % NS_PER_SECOND;
  const half = NS_PER_SECOND / 2n;
  const down = d - r;
  // Round half away from zero, as Duration.Round does.
  if (d >= 0n) return r >= half ? down + NS_PER_SECOND : down;
  return -r >= half ? down - NS_PER_SECOND : down;
}

/** sprig's dateAgo: a time, or Unix seconds as an int/int64 (anything else is now). */
function ago(date: Val): string {
  const t = isTime(date)
    ? date
    : date !== null && typeof date === 'object' && (date.k === 'int' || date.k === 'int64')
      ? unixTime(Number(date.n))
      : now();
  return durationString(sinceRounded(t));
}

/** sprig's durationRound: the largest whole unit (y, mo, d, h, m, s) of a duration string, int64 nanoseconds or the time since a time. */
function durationRound(v: Val): string {
  let d = 0n;
  if (typeof v === 'string') d = parseDuration(v) ?? 0n;
  else if (v !== null && typeof v === 'object' && v.k === 'int64') d = v.n;
  else if (isTime(v)) {
    const n = now();
    d = (BigInt(n.sec) - BigInt(v.sec)) * NS_PER_SECOND + BigInt(n.nsec - v.nsec);
  }
  const u = d < 0n ? -d : d;
  const second = NS_PER_SECOND;
  const units: [bigint, string][] = [
    [second * 3600n * 24n * 365n, 'y'],
    [second * 3600n * 24n * 30n, 'mo'],
    [second * 3600n * 24n, 'd'],
    [second * 3600n, 'h'],
    [second * 60n, 'm'],
    [second, 's'],
  ];
  for (const [size, unit] of units) if (u > size) return `${u / size}${unit}`;
  return '0s';
}

export const DATE_FUNCS = defineFuncs((def) => {
  def('ago', ['any'], (a) => ago(a[0]!));
  def('durationRound', ['any'], (a) => durationRound(a[0]!));
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
