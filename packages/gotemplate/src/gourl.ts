// Go's net/url (go1.26) as sprig's urlParse and urlJoin use it: Parse, the URL fields, and String.
// Byte strings throughout; an error is thrown as URLError (its message never quotes the URL).

export class URLError extends Error {}

type Mode = 'path' | 'pathSegment' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const isAlnum = (c: string): boolean => /^[a-zA-Z0-9]$/.test(c);
/** url.shouldEscape. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path':
        return c === '?';
      case 'pathSegment':
        return '/;,?'.includes(c);
      case 'userPassword':
        return '@/?:'.includes(c);
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** url.unescape. */
function unescape(s: string, mode: Mode): string {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      n++;
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) throw new URLError('invalid URL escape');
      const v = parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === 'host' && parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== '%25') throw new URLError('invalid URL escape');
      if (mode === 'zone' && s.slice(i, i + 3) !== '%25' && v !== 0x20 && shouldEscape(String.fromCharCode(v), 'host')) {
        throw new URLError('invalid URL escape');
      }
      i += 3;
    } else {
      if (c === '+') hasPlus = mode === 'queryComponent';
      else if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) {
        throw new URLError('invalid character in host name');
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += s[i] === '+' && mode === 'queryComponent' ? ' ' : s[i];
  }
  return out;
}

/** url.escape. */
export function escape(s: string, mode: Mode): string {
  let out = '';
  for (const c of s) {
    if (c === ' ' && mode === 'queryComponent') out += '+';
    else if (shouldEscape(c, mode)) out += '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    else out += c;
  }
  return out;
}

export interface GoURL {
  scheme: string;
  opaque: string;
  user: { username: string; password: string | null } | null;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}
export const emptyURL = (): GoURL => ({
  scheme: '',
  opaque: '',
  user: null,
  host: '',
  path: '',
  rawPath: '',
  omitHost: false,
  forceQuery: false,
  rawQuery: '',
  fragment: '',
  rawFragment: '',
});

/** url.getScheme: the scheme and the rest. */
function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new URLError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** netip.ParseAddr for what may stand in brackets: an IPv6 address with an optional zone; 'v4' for IPv4. */
function ipLiteralKind(s: string): 'v6' | 'v4' | null {
  if (IPV4.test(s)) return 'v4';
  const pct = s.indexOf('%');
  if (pct === s.length - 1) return null;
  let ip = pct >= 0 ? s.slice(0, pct) : s;
  // An embedded IPv4 address stands for the last two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) {
    if (!IPV4.test(dotted[1]!) || !/(^|:)$/.test(ip.slice(0, dotted.index))) return null;
    ip = ip.slice(0, dotted.index) + '0:0';
  }
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (!groups.flat().every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const count = groups.flat().length;
  return (halves.length === 1 ? count === 8 : count <= 7) ? 'v6' : null;
}

/** url.parseHost (go1.26, urlstrictcolons=0). */
function parseHost(host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new URLError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new URLError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new URLError('invalid port after host');
    const port = unescape(colonPort, 'host');
    const hostname = host.slice(1, close);
    const zone = hostname.indexOf('%25');
    const unescaped =
      zone >= 0 ? unescape(hostname.slice(0, zone), 'host') + unescape(hostname.slice(zone), 'zone') : unescape(hostname, 'host');
    const kind = ipLiteralKind(unescaped);
    if (kind === null) throw new URLError('invalid host');
    if (kind === 'v4') throw new URLError('invalid IP-literal');
    return '[' + unescaped + ']' + port;
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !validOptionalPort(host.slice(colon))) throw new URLError('invalid port after host');
  return unescape(host, 'host');
}

const validUserinfo = (s: string): boolean => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

function parseAuthority(authority: string): [GoURL['user'], string] {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return [null, host];
  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) throw new URLError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return [{ username: unescape(userinfo, 'userPassword'), password: null }, host];
  return [
    { username: unescape(userinfo.slice(0, colon), 'userPassword'), password: unescape(userinfo.slice(colon + 1), 'userPassword') },
    host,
  ];
}

/** url.Parse. */
export function parseURL(raw: string): GoURL {
  const hash = raw.indexOf('#');
  const frag = hash >= 0 ? raw.slice(hash + 1) : '';
  const u = emptyURL();
  let rest: string;
  const s = hash >= 0 ? raw.slice(0, hash) : raw;
  if (/[\x00-\x1f\x7f]/.test(s)) throw new URLError('net/url: invalid control character in URL');
  if (s === '*') u.path = '*';
  else {
    [u.scheme, rest] = getScheme(s);
    u.scheme = u.scheme.toLowerCase();
    if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
      u.forceQuery = true;
      rest = rest.slice(0, -1);
    } else {
      const q = rest.indexOf('?');
      if (q >= 0) [rest, u.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
    }
    let opaque = false;
    if (!rest.startsWith('/')) {
      if (u.scheme !== '') {
        u.opaque = rest;
        opaque = true;
      } else if (rest.split('/')[0]!.includes(':')) throw new URLError('first path segment in URL cannot contain colon');
    }
    if (!opaque) {
      if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
        let authority = rest.slice(2);
        rest = '';
        const slash = authority.indexOf('/');
        if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
        [u.user, u.host] = parseAuthority(authority);
      } else if (u.scheme !== '' && rest.startsWith('/')) u.omitHost = true;
      u.path = unescape(rest, 'path');
      u.rawPath = escape(u.path, 'path') === rest ? '' : rest;
    }
  }
  if (frag !== '') {
    u.fragment = unescape(frag, 'fragment');
    u.rawFragment = escape(u.fragment, 'fragment') === frag ? '' : frag;
  }
  return u;
}

function validEncoded(s: string, mode: Mode): boolean {
  return [...s].every((c) => `!$&'()*+,;=:@[]%`.includes(c) || !shouldEscape(c, mode));
}
function escapedRaw(raw: string, decoded: string, mode: Mode): string {
  if (raw !== '' && validEncoded(raw, mode)) {
    try {
      if (unescape(raw, mode) === decoded) return raw;
    } catch {
      // not a valid encoding: escape the decoded form instead
    }
  }
  return escape(decoded, mode);
}

/** Userinfo.String. */
export const userString = (user: NonNullable<GoURL['user']>): string =>
  escape(user.username, 'userPassword') + (user.password !== null ? ':' + escape(user.password, 'userPassword') : '');

/** URL.Hostname. */
export function hostname(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(host.slice(colon))) host = host.slice(0, colon);
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** URL.String. */
export function urlString(u: GoURL): string {
  let out = u.scheme !== '' ? u.scheme + ':' : '';
  if (u.opaque !== '') out += u.opaque;
  else {
    if ((u.scheme !== '' || u.host !== '' || u.user !== null) && !(u.omitHost && u.host === '' && u.user === null)) {
      if (u.host !== '' || u.path !== '' || u.user !== null) out += '//';
      if (u.user !== null) out += userString(u.user) + '@';
      if (u.host !== '') out += escape(u.host, 'host');
    }
    const path = u.path === '*' && u.rawPath === '' ? '*' : escapedRaw(u.rawPath, u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '' && path.split('/')[0]!.includes(':')) out += './';
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== '') out += '?' + u.rawQuery;
  if (u.fragment !== '') out += '#' + escapedRaw(u.rawFragment, u.fragment, 'fragment');
  return out;
}
