// Sprig's encoding functions (base64, base32, JSON) and its checksums.
import { b32dec, b32enc, b64dec, b64enc } from '../base-encoding.js';
import { recover } from '../errors.js';
import { adler32, sha1Hex, sha256Hex, sha512Hex } from '../hash.js';
import { jsonEncode, mustFromJson } from '../json.js';
import { defineFuncs, strArg } from './signature.js';

/** sprig's toJson and friends: an unencodable value gives ''. */
const orEmpty = (f: () => string): string => recover(f, () => '');
/** sprig's b64dec and b32dec: the decoding error's text is the result. */
const orErrorText = (f: () => string): string => recover(f, (e) => e.message);

export const ENCODING_FUNCS = defineFuncs((def) => {
  def('sha1sum', ['string'], (a) => sha1Hex(strArg(a, 0)));
  def('sha256sum', ['string'], (a) => sha256Hex(strArg(a, 0)));
  def('sha512sum', ['string'], (a) => sha512Hex(strArg(a, 0)));
  def('adler32sum', ['string'], (a) => String(adler32(strArg(a, 0))));
  def('b64enc', ['string'], (a) => b64enc(strArg(a, 0)));
  def('b64dec', ['string'], (a) => orErrorText(() => b64dec(strArg(a, 0))));
  def('b32enc', ['string'], (a) => b32enc(strArg(a, 0)));
  def('b32dec', ['string'], (a) => orErrorText(() => b32dec(strArg(a, 0))));
  def('fromJson', ['string'], (a) =>
    recover(
      () => mustFromJson(strArg(a, 0)),
      () => null,
    ),
  );
  def('mustFromJson', ['string'], (a) => mustFromJson(strArg(a, 0)));
  def('toJson', ['any'], (a) => orEmpty(() => jsonEncode(a[0]!, true, null)));
  def('mustToJson', ['any'], (a) => jsonEncode(a[0]!, true, null));
  def('toPrettyJson', ['any'], (a) => orEmpty(() => jsonEncode(a[0]!, true, '  ')));
  def('mustToPrettyJson', ['any'], (a) => jsonEncode(a[0]!, true, '  '));
  def('toRawJson', ['any'], (a) => orEmpty(() => jsonEncode(a[0]!, false, null)));
  def('mustToRawJson', ['any'], (a) => jsonEncode(a[0]!, false, null));
});
