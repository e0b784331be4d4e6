// Sprig's urlParse and urlJoin over Go's net/url.
import { ferr } from '../errors.js';
import { URLError, emptyURL, hostname, parseURL, urlString, userString } from '../gourl.js';
import { type GoMap, type Val, dictOf, kindName } from '../values.js';
import { defineFuncs, strArg } from './signature.js';

/** url.Parse, failing the call (sprig panics) without quoting the URL, which may hold a password. */
function parse(raw: string): ReturnType<typeof parseURL> {
  try {
    return parseURL(raw);
  } catch (e) {
    if (e instanceof URLError) throw ferr(`unable to parse url: ${e.message}`);
    throw e;
  }
}

function urlParse(raw: string): GoMap {
  const u = parse(raw);
  return dictOf(
    new Map<string, Val>([
      ['scheme', u.scheme],
      ['host', u.host],
      ['hostname', hostname(u.host)],
      ['path', u.path],
      ['query', u.rawQuery],
      ['opaque', u.opaque],
      ['fragment', u.fragment],
      ['userinfo', u.user ? userString(u.user) : ''],
    ]),
  );
}

/** sprig's dictGetOrEmpty: a string entry, '' when missing; anything else fails the call. */
function field(d: GoMap | null, key: string): string {
  const v = d?.m.get(key);
  if (v === undefined) return '';
  if (typeof v !== 'string')
    throw ferr(`unable to parse ${key} key, must be of type string, but ${v === null ? 'nil' : kindName(v)} found`);
  return v;
}

function urlJoin(d: GoMap | null): string {
  const u = {
    ...emptyURL(),
    scheme: field(d, 'scheme'),
    host: field(d, 'host'),
    path: field(d, 'path'),
    rawQuery: field(d, 'query'),
    opaque: field(d, 'opaque'),
    fragment: field(d, 'fragment'),
  };
  const userinfo = field(d, 'userinfo');
  if (userinfo !== '') {
    try {
      u.user = parseURL(`proto://${userinfo}@host`).user;
    } catch (e) {
      if (e instanceof URLError) throw ferr(`unable to parse userinfo in dict: ${e.message}`);
      throw e;
    }
  }
  return urlString(u);
}

export const URL_FUNCS = defineFuncs((def) => {
  def('urlParse', ['string'], (a) => urlParse(strArg(a, 0)));
  def('urlJoin', ['dict'], (a) => urlJoin(a[0] as GoMap | null));
});
