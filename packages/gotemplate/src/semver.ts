// Masterminds semver v3.4.0's Version as sprig's semver returns it (a *semver.Version), with the methods
// a template can call on it. NewVersion runs in its coercing mode (v1, 1.2, 1.2.3-rc.1+build).
import { ferr } from './errors.js';

export interface GoSemver {
  readonly k: 'semver';
  /** A *semver.Version (from semver) or a semver.Version (from IncMajor, SetPrerelease, ...). */
  readonly pointer: boolean;
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string;
  readonly metadata: string;
  readonly original: string;
}

const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const MAX_UINT64 = (1n << 64n) - 1n;

function segment(digits: string): bigint {
  const n = BigInt(digits);
  if (n > MAX_UINT64) throw ferr('error parsing version segment: value out of range');
  return n;
}
function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (part === '') throw ferr('invalid prerelease string');
    if (/^[0-9]+$/.test(part)) {
      if (part.length > 1 && part[0] === '0') throw ferr('version segment starts with 0');
    } else if (!/^[0-9A-Za-z-]+$/.test(part)) throw ferr('invalid prerelease string');
  }
}
function validateMetadata(m: string): void {
  if (m.split('.').some((part) => !/^[0-9A-Za-z-]+$/.test(part))) throw ferr('invalid metadata string');
}

/** semver.NewVersion. */
export function newVersion(v: string): GoSemver {
  const m = LOOSE.exec(v);
  if (!m) throw ferr('invalid semantic version');
  const version = {
    k: 'semver' as const,
    pointer: true,
    major: segment(m[1]!),
    minor: m[2] ? segment(m[2].slice(1)) : 0n,
    patch: m[3] ? segment(m[3].slice(1)) : 0n,
    pre: m[5] ?? '',
    metadata: m[8] ?? '',
    original: v,
  };
  if (version.pre !== '') validatePrerelease(version.pre);
  if (version.metadata !== '') validateMetadata(version.metadata);
  return version;
}

/** Version.String. */
export const semverString = (v: GoSemver): string =>
  `${v.major}.${v.minor}.${v.patch}` + (v.pre !== '' ? `-${v.pre}` : '') + (v.metadata !== '' ? `+${v.metadata}` : '');

/** A changed copy (a semver.Version value), its original re-made as the library does. */
function next(v: GoSemver, change: Partial<GoSemver>): GoSemver {
  const n = { ...v, ...change, pointer: false };
  return { ...n, original: (v.original.startsWith('v') ? 'v' : '') + semverString(n) };
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return 1;
  const num = (x: string): bigint | null => (/^[0-9]+$/.test(x) && BigInt(x) <= MAX_UINT64 ? BigInt(x) : null);
  const [si, oi] = [num(s), num(o)];
  if (si === null && oi === null) return s > o ? 1 : -1;
  if (oi === null) return -1;
  if (si === null) return 1;
  return si > oi ? 1 : -1;
}
/** Version.Compare. */
export function compareVersions(v: GoSemver, o: GoSemver): number {
  for (const key of ['major', 'minor', 'patch'] as const) if (v[key] !== o[key]) return v[key] < o[key] ? -1 : 1;
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  const [sp, op] = [v.pre.split('.'), o.pre.split('.')];
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** The methods: whether they need a pointer receiver, their parameters and body. */
export const SEMVER_METHODS: Record<
  string,
  { pointer: boolean; params: ('string' | 'semver')[]; call: (v: GoSemver, args: (string | GoSemver)[]) => unknown }
> = {
  String: { pointer: false, params: [], call: (v) => semverString(v) },
  Original: { pointer: true, params: [], call: (v) => v.original },
  Major: { pointer: false, params: [], call: (v) => v.major },
  Minor: { pointer: false, params: [], call: (v) => v.minor },
  Patch: { pointer: false, params: [], call: (v) => v.patch },
  Prerelease: { pointer: false, params: [], call: (v) => v.pre },
  Metadata: { pointer: false, params: [], call: (v) => v.metadata },
  IncPatch: {
    pointer: false,
    params: [],
    call: (v) => next(v, v.pre !== '' ? { pre: '', metadata: '' } : { pre: '', metadata: '', patch: BigInt.asUintN(64, v.patch + 1n) }),
  },
  IncMinor: {
    pointer: false,
    params: [],
    call: (v) => next(v, { pre: '', metadata: '', patch: 0n, minor: BigInt.asUintN(64, v.minor + 1n) }),
  },
  IncMajor: {
    pointer: false,
    params: [],
    call: (v) => next(v, { pre: '', metadata: '', patch: 0n, minor: 0n, major: BigInt.asUintN(64, v.major + 1n) }),
  },
  SetPrerelease: {
    pointer: false,
    params: ['string'],
    call: (v, [p]) => {
      if (p !== '') validatePrerelease(p as string);
      return next(v, { pre: p as string });
    },
  },
  SetMetadata: {
    pointer: false,
    params: ['string'],
    call: (v, [m]) => {
      if (m !== '') validateMetadata(m as string);
      return next(v, { metadata: m as string });
    },
  },
  LessThan: { pointer: true, params: ['semver'], call: (v, [o]) => compareVersions(v, o as GoSemver) < 0 },
  LessThanEqual: { pointer: true, params: ['semver'], call: (v, [o]) => compareVersions(v, o as GoSemver) <= 0 },
  GreaterThan: { pointer: true, params: ['semver'], call: (v, [o]) => compareVersions(v, o as GoSemver) > 0 },
  GreaterThanEqual: { pointer: true, params: ['semver'], call: (v, [o]) => compareVersions(v, o as GoSemver) >= 0 },
  Equal: { pointer: true, params: ['semver'], call: (v, [o]) => compareVersions(v, o as GoSemver) === 0 },
  Compare: { pointer: true, params: ['semver'], call: (v, [o]) => compareVersions(v, o as GoSemver) },
};
