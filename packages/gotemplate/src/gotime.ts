// Go's time.Time as sprig's date functions meet it: layouts (Format and Parse), Duration, and zones.
//
// Local is UTC (the controller's container has no TZ). Other zones come from Intl; their abbreviations
// are Intl's (en-US, en-GB, en-IN, ja-JP, en-AU), which agree with the tz database for the common zones.

/** A time.Time: seconds since the Unix epoch (exact to ±2^53), nanoseconds, and its zone. */
export interface GoTime {
  readonly k: 'time';
  readonly sec: number;
  readonly nsec: number;
  /** Seconds east of UTC, and the zone's abbreviation ('' for a fixed zone without a name). */
  readonly offset: number;
  readonly zone: string;
  /** The *time.Location: null is UTC (Go's nil), 'Local' is time.Local, else the location's name. */
  readonly loc: string | null;
}

export const UTC_ZONE = { offset: 0, zone: 'UTC', loc: null };
/** time.Local: UTC by another name (and another pointer), as in a container without TZ. */
export const LOCAL_ZONE = { offset: 0, zone: 'UTC', loc: 'Local' };
/** time.Time{}: January 1, year 1, 00:00:00 UTC. */
export const ZERO_TIME: GoTime = { k: 'time', sec: -62135596800, nsec: 0, ...UTC_ZONE };
/** time.Unix: a Local time. */
export const unixTime = (sec: number, nsec = 0): GoTime => ({ k: 'time', sec, nsec, ...LOCAL_ZONE });

const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}
interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  yday: number; // 1..366
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
  second: number;
}
function civil(t: GoTime): Civil {
  const local = t.sec + t.offset;
  const days = Math.floor(local / 86400);
  const secs = local - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    weekday: (((days + 4) % 7) + 7) % 7,
    hour: Math.floor(secs / 3600),
    minute: Math.floor(secs / 60) % 60,
    second: secs % 60,
  };
}

type Std =
  | 'Jan'
  | 'January'
  | '1'
  | '01'
  | 'Mon'
  | 'Monday'
  | '2'
  | '_2'
  | '02'
  | '__2'
  | '002'
  | '15'
  | '3'
  | '03'
  | '4'
  | '04'
  | '5'
  | '05'
  | '2006'
  | '06'
  | 'PM'
  | 'pm'
  | 'MST'
  | 'Z070000'
  | 'Z07:00:00'
  | 'Z0700'
  | 'Z07:00'
  | 'Z07'
  | '-070000'
  | '-07:00:00'
  | '-0700'
  | '-07:00'
  | '-07'
  | 'frac0'
  | 'frac9';
interface Chunk {
  prefix: string;
  std: Std | null;
  /** Fractional seconds: the separator and the digit count. */
  sep?: string;
  digits?: number;
  suffix: string;
}
const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';
/** time's nextStdChunk: the text before the first layout element, the element, and the rest. */
function nextChunk(layout: string): Chunk {
  for (let i = 0; i < layout.length; i++) {
    const at = (s: string): boolean => layout.startsWith(s, i);
    const hit = (std: Std, len: number): Chunk => ({ prefix: layout.slice(0, i), std, suffix: layout.slice(i + len) });
    switch (layout[i]) {
      case 'J':
        if (at('January')) return hit('January', 7);
        if (at('Jan') && !/^[a-z]/.test(layout.slice(i + 3))) return hit('Jan', 3);
        break;
      case 'M':
        if (at('Monday')) return hit('Monday', 6);
        if (at('Mon') && !/^[a-z]/.test(layout.slice(i + 3))) return hit('Mon', 3);
        if (at('MST')) return hit('MST', 3);
        break;
      case '0':
        if (i + 1 < layout.length && layout[i + 1]! >= '1' && layout[i + 1]! <= '6') return hit(`0${layout[i + 1]}` as Std, 2);
        if (at('002')) return hit('002', 3);
        break;
      case '1':
        return at('15') ? hit('15', 2) : hit('1', 1);
      case '2':
        return at('2006') ? hit('2006', 4) : hit('2', 1);
      case '_':
        if (at('_2')) {
          if (at('_2006')) return { prefix: layout.slice(0, i + 1), std: '2006', suffix: layout.slice(i + 5) };
          return hit('_2', 2);
        }
        if (at('__2')) return hit('__2', 3);
        break;
      case '3':
      case '4':
      case '5':
        return hit(layout[i] as Std, 1);
      case 'P':
        if (at('PM')) return hit('PM', 2);
        break;
      case 'p':
        if (at('pm')) return hit('pm', 2);
        break;
      case '-':
      case 'Z':
        for (const s of ['070000', '07:00:00', '0700', '07:00', '07'])
          if (at(layout[i] + s)) return hit((layout[i] + s) as Std, s.length + 1);
        break;
      case '.':
      case ',':
        if (layout[i + 1] === '0' || layout[i + 1] === '9') {
          const ch = layout[i + 1]!;
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return {
              prefix: layout.slice(0, i),
              std: ch === '0' ? 'frac0' : 'frac9',
              sep: layout[i],
              digits: j - i - 1,
              suffix: layout.slice(j),
            };
          }
        }
    }
  }
  return { prefix: layout, std: null, suffix: '' };
}

const pad = (n: number, w: number): string => (n < 0 ? '-' + String(-n).padStart(w, '0') : String(n).padStart(w, '0'));
/** A zone offset as -0700, -07:00, -07, -070000 or -07:00:00 (Z when zero for the ISO 8601 forms). */
function formatOffset(std: string, offset: number): string {
  if (std.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const [h, m, s] = [pad(Math.floor(a / 3600), 2), pad(Math.floor(a / 60) % 60, 2), pad(a % 60, 2)];
  const colon = std.includes(':');
  const fields = std.endsWith('07') ? [h] : std.length >= 7 && !colon ? [h, m, s] : std.endsWith(':00:00') ? [h, m, s] : [h, m];
  return sign + fields.join(colon ? ':' : '');
}

/** time.Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  while (layout !== '') {
    const chunk = nextChunk(layout);
    out += chunk.prefix;
    layout = chunk.suffix;
    if (chunk.std === null) break;
    switch (chunk.std) {
      case 'Jan':
        out += LONG_MONTHS[c.month - 1]!.slice(0, 3);
        break;
      case 'January':
        out += LONG_MONTHS[c.month - 1];
        break;
      case '1':
        out += c.month;
        break;
      case '01':
        out += pad(c.month, 2);
        break;
      case 'Mon':
        out += LONG_DAYS[c.weekday]!.slice(0, 3);
        break;
      case 'Monday':
        out += LONG_DAYS[c.weekday];
        break;
      case '2':
        out += c.day;
        break;
      case '_2':
        out += String(c.day).padStart(2, ' ');
        break;
      case '02':
        out += pad(c.day, 2);
        break;
      case '__2':
        out += String(c.yday).padStart(3, ' ');
        break;
      case '002':
        out += pad(c.yday, 3);
        break;
      case '15':
        out += pad(c.hour, 2);
        break;
      case '3':
        out += c.hour % 12 === 0 ? 12 : c.hour % 12;
        break;
      case '03':
        out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case '4':
        out += c.minute;
        break;
      case '04':
        out += pad(c.minute, 2);
        break;
      case '5':
        out += c.second;
        break;
      case '05':
        out += pad(c.second, 2);
        break;
      case '2006':
        out += pad(c.year, 4);
        break;
      case '06':
        out += pad(((c.year % 100) + 100) % 100, 2);
        break;
      case 'PM':
        out += c.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += c.hour >= 12 ? 'pm' : 'am';
        break;
      case 'MST':
        out += t.zone !== '' ? t.zone : formatOffset('-0700', t.offset);
        break;
      case 'frac0':
        out += chunk.sep! + pad(t.nsec, 9).slice(0, chunk.digits);
        break;
      case 'frac9': {
        const digits = pad(t.nsec, 9).slice(0, chunk.digits).replace(/0+$/, '');
        if (digits !== '') out += chunk.sep! + digits;
        break;
      }
      default:
        out += formatOffset(chunk.std, t.offset);
    }
  }
  return out;
}

/** The fields fmt prints for a time.Time under a verb it has no String() for: {wall ext loc}. */
export function timeFields(t: GoTime): { wall: bigint; ext: bigint; utc: boolean } {
  return { wall: BigInt(t.nsec), ext: BigInt(t.sec) + 62135596800n, utc: t.loc === null };
}

/** time.Time.GoString: time.Date(2024, time.February, 29, 0, 0, 0, 0, time.UTC). */
export function timeGoString(t: GoTime): string {
  const c = civil(t);
  const loc = t.loc === null ? 'time.UTC' : t.loc === 'Local' ? 'time.Local' : `time.Location(${JSON.stringify(t.loc)})`;
  return `time.Date(${c.year}, time.${LONG_MONTHS[c.month - 1]}, ${c.day}, ${c.hour}, ${c.minute}, ${c.second}, ${t.nsec}, ${loc})`;
}

/** time.Time.String. */
export const timeString = (t: GoTime): string => formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');

/** time.Time.Format(time.RFC3339Nano), as encoding/json writes a time. */
export const timeJson = (t: GoTime): string => formatTime(t, '2006-01-02T15:04:05.999999999Z07:00');

/** The abbreviation and offset of an IANA zone at an instant, or null for an unknown zone. */
function zoneAt(name: string, sec: number): { offset: number; zone: string; loc: string } | null {
  try {
    const date = new Date(sec * 1000);
    if (Number.isNaN(date.getTime())) return null;
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    }).formatToParts(date);
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const era = parts.find((p) => p.type === 'era')?.value;
    const year = era === 'BC' ? 1 - get('year') : get('year');
    const wall = daysFromCivil(year, get('month'), get('day')) * 86400 + get('hour') * 3600 + get('minute') * 60 + get('second');
    const offset = wall - Math.floor(sec);
    let zone = '';
    for (const locale of ['en-US', 'en-GB', 'en-IN', 'en-AU', 'ja-JP']) {
      const z = new Intl.DateTimeFormat(locale, { timeZone: name, timeZoneName: 'short' })
        .formatToParts(date)
        .find((p) => p.type === 'timeZoneName')?.value;
      if (z && /^[A-Z]{2,5}$/.test(z)) {
        zone = z;
        break;
      }
    }
    // The tz database names zones without a letter abbreviation by their offset: +09, -0330.
    if (zone === '') zone = formatOffset(offset % 3600 === 0 ? '-07' : '-0700', offset);
    return { offset, zone, loc: name };
  } catch {
    return null;
  }
}

/** time.LoadLocation(name) then t.In(loc); an unknown zone is UTC, as sprig falls back. */
export function inZone(t: GoTime, name: string): GoTime {
  if (name === '' || name === 'UTC') return { ...t, ...UTC_ZONE };
  if (name === 'Local') return { ...t, ...LOCAL_ZONE };
  // LoadLocation refuses names that are not paths in the tz database.
  const zone = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(name) ? zoneAt(name, t.sec) : null;
  return { ...t, ...(zone ?? UTC_ZONE) };
}

/** time.Duration.String of n nanoseconds (an int64). */
export function durationString(n: bigint): string {
  const neg = n < 0n;
  let u = neg ? -n : n;
  const frac = (v: bigint, prec: number): [string, bigint] => {
    let digits = '';
    let printed = false;
    for (let i = 0; i < prec; i++) {
      const digit = v % 10n;
      printed ||= digit !== 0n;
      if (printed) digits = digit.toString() + digits;
      v /= 10n;
    }
    return [printed ? '.' + digits : '', v];
  };
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    const [unit, prec] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const [f, whole] = frac(u, prec);
    out = whole.toString() + f + unit;
  } else {
    const [f, whole] = frac(u, 9);
    u = whole;
    out = (u % 60n).toString() + f + 's';
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + 'h' + out;
    }
  }
  return (neg ? '-' : '') + out;
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
/** time.ParseDuration: nanoseconds, or null where Go returns an error. */
export function parseDuration(s: string): bigint | null {
  const m = /^([+-]?)(.*)$/s.exec(s)!;
  const neg = m[1] === '-';
  let rest = m[2]!;
  if (rest === '0') return 0n;
  if (rest === '') return null;
  let total = 0n;
  while (rest !== '') {
    const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part || (part[1] === '' && (part[2] ?? '') === '')) return null;
    const unit = UNITS[part[3]!]!;
    const frac = part[2] ?? '';
    // Go scales the fraction exactly to nanoseconds, truncating.
    total += BigInt(part[1] || '0') * unit + (frac === '' ? 0n : (BigInt(frac) * unit) / 10n ** BigInt(frac.length));
    if (total > (1n << 63n) - (neg ? 0n : 1n)) return null;
    rest = rest.slice(part[0].length);
  }
  return neg ? -total : total;
}

/** t plus n nanoseconds. */
export function addDuration(t: GoTime, n: bigint): GoTime {
  const total = BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec) + n;
  const sec = total / 1_000_000_000n - (total % 1_000_000_000n < 0n ? 1n : 0n);
  const reZoned = unixTime(Number(sec), Number(total - sec * 1_000_000_000n));
  return { ...reZoned, offset: t.offset, zone: t.zone, loc: t.loc };
}

/** A signed hour offset (+07, -3) at the start of s: its length, or 0 (time's parseSignedOffset). */
function signedOffsetLength(s: string): number {
  const m = /^[+-](\d+)/.exec(s);
  return m && Number(m[1]) <= 23 ? m[0].length : 0;
}
/** The length of a zone abbreviation at the start of s, or 0 (time's parseTimeZone). */
function timeZoneLength(s: string): number {
  if (s.length < 3) return 0;
  if (s.startsWith('ChST') || s.startsWith('MeST')) return 4;
  if (s.startsWith('GMT')) return 3 + (s.length > 3 ? signedOffsetLength(s.slice(3)) : 0);
  if (s[0] === '+' || s[0] === '-') return signedOffsetLength(s);
  const upper = /^[A-Z]{0,6}/.exec(s)![0].length;
  if (upper === 5) return s[4] === 'T' ? 5 : 0;
  if (upper === 4) return s[3] === 'T' || s.startsWith('WITA') ? 4 : 0;
  return upper === 3 ? 3 : 0;
}

/** time.ParseInLocation(layout, value, Local=UTC), or null where Go returns an error. */
export function parseTime(layout: string, value: string): GoTime | null {
  let year = 0; // omitted elements are zero, or one where zero is impossible (month, day)
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nsec = 0;
  let pm: boolean | null = null;
  let offset: number | null = null;
  let zoneName: string | null = null;
  let isoZ = false;
  /** Reads n digits exactly (fixed) or 1..n digits. */
  const num = (n: number, fixed: boolean): number | null => {
    const m = new RegExp(`^\\d{${fixed ? n : 1},${n}}`).exec(value);
    if (!m) return null;
    value = value.slice(m[0].length);
    return Number(m[0]);
  };
  const word = (names: string[]): number | null => {
    const i = names.findIndex((n) => value.toLowerCase().startsWith(n.toLowerCase()));
    if (i < 0) return null;
    value = value.slice(names[i]!.length);
    return i;
  };
  while (layout !== '') {
    const chunk = nextChunk(layout);
    if (!value.startsWith(chunk.prefix)) return null;
    value = value.slice(chunk.prefix.length);
    layout = chunk.suffix;
    if (chunk.std === null) break;
    let v: number | null = 0;
    switch (chunk.std) {
      case '2006':
        v = year = num(4, true) ?? NaN;
        break;
      case '06':
        v = num(2, true);
        if (v !== null) year = v >= 69 ? 1900 + v : 2000 + v;
        break;
      case 'Jan':
        v = month = (word(LONG_MONTHS.map((n) => n.slice(0, 3))) ?? NaN) + 1;
        break;
      case 'January':
        v = month = (word(LONG_MONTHS) ?? NaN) + 1;
        break;
      case '1':
      case '01':
        v = month = num(2, chunk.std === '01') ?? NaN;
        if (month < 1 || month > 12) return null;
        break;
      case 'Mon':
        v = word(LONG_DAYS.map((n) => n.slice(0, 3)));
        break;
      case 'Monday':
        v = word(LONG_DAYS);
        break;
      case '2':
      case '_2':
      case '02':
        if (chunk.std === '_2' && value[0] === ' ') value = value.slice(1);
        v = day = num(2, chunk.std === '02') ?? NaN;
        break;
      case '__2':
      case '002':
        if (chunk.std === '__2') value = value.replace(/^ {1,2}/, '');
        v = yday = num(3, chunk.std === '002') ?? NaN;
        break;
      case '15':
        v = hour = num(2, false) ?? NaN;
        if (hour > 23) return null;
        break;
      case '3':
      case '03':
        v = hour = num(2, chunk.std === '03') ?? NaN;
        if (hour > 12) return null;
        break;
      case '4':
      case '04':
        v = minute = num(2, chunk.std === '04') ?? NaN;
        if (minute > 59) return null;
        break;
      case '5':
      case '05': {
        v = second = num(2, chunk.std === '05') ?? NaN;
        if (second > 59) return null;
        // A fraction after the seconds is taken even when the layout's next element is not one.
        const frac = /^[.,](\d+)/.exec(value);
        const next = nextChunk(layout).std;
        if (frac && next !== 'frac0' && next !== 'frac9') {
          nsec = Number(frac[1]!.slice(0, 9).padEnd(9, '0'));
          value = value.slice(frac[0].length);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const ampm = value.slice(0, 2).toUpperCase();
        if (ampm !== 'AM' && ampm !== 'PM') return null;
        pm = ampm === 'PM';
        value = value.slice(2);
        break;
      }
      case 'frac0':
      case 'frac9': {
        const m = chunk.std === 'frac0' ? new RegExp(`^[.,]\\d{${chunk.digits}}`).exec(value) : /^[.,]\d+/.exec(value);
        if (!m) {
          if (chunk.std === 'frac9') break;
          return null;
        }
        nsec = Number(m[0].slice(1, 10).padEnd(9, '0'));
        value = value.slice(m[0].length);
        break;
      }
      case 'MST': {
        if (value.startsWith('UTC')) {
          value = value.slice(3);
          isoZ = true;
          break;
        }
        const n = timeZoneLength(value);
        if (n === 0) return null;
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      default: {
        if (chunk.std.startsWith('Z') && value[0] === 'Z') {
          value = value.slice(1);
          offset = 0;
          isoZ = true;
          break;
        }
        const colon = chunk.std.includes(':');
        const shape = chunk.std.replace(/^Z/, '-').replace(/\d/g, '\\d').replace(/^-/, '[+-]');
        const m = new RegExp(`^${shape}`).exec(value);
        if (!m) return null;
        const digits = m[0].slice(1).replaceAll(colon ? ':' : '', '');
        const [h, mi, s] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4) || 0), Number(digits.slice(4, 6) || 0)];
        offset = (m[0][0] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + s);
        value = value.slice(m[0].length);
      }
    }
    if (v === null || Number.isNaN(v)) return null;
  }
  if (value !== '') return null;
  if (pm === true && hour < 12) hour += 12;
  if (pm === false && hour === 12) hour = 0;
  if (yday >= 0) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (yday < 1 || yday > (leap ? 366 : 365)) return null;
    const date = civil(unixTime((daysFromCivil(year, 1, 1) + yday - 1) * 86400));
    if ((month >= 0 && month !== date.month) || (day >= 0 && day !== date.day)) return null;
    [month, day] = [date.month, date.day];
  }
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  const monthDays = [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (day < 1 || day > monthDays[month - 1]!) return null;
  const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  if (isoZ) return { k: 'time', sec: wall, nsec, ...UTC_ZONE };
  if (offset !== null) {
    // The local zone (UTC) when the offset and name fit it, else a fixed zone recording them.
    if (offset === 0 && (zoneName === null || zoneName === 'UTC')) return { k: 'time', sec: wall, nsec, ...LOCAL_ZONE };
    return { k: 'time', sec: wall - offset, nsec, offset, zone: zoneName ?? '', loc: zoneName ?? '' };
  }
  if (zoneName !== null && zoneName !== 'UTC') {
    const gmt = /^GMT([+-]\d+)$/.exec(zoneName);
    const off = gmt ? Number(gmt[1]) * 3600 : 0;
    // Go keeps the wall clock as UTC and only records the offset: the instant is not shifted.
    return { k: 'time', sec: wall, nsec, offset: off, zone: zoneName, loc: zoneName };
  }
  return { k: 'time', sec: wall, nsec, ...LOCAL_ZONE };
}
