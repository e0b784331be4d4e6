// Sprig's regular expression functions, over the linear-time matcher of regexp.ts.
import { ferr, recover } from '../errors.js';
import { compileRegex, findAll, pikeExec, regexReplace, regexSplit } from '../regexp.js';
import { BadRegex } from '../regexp-syntax.js';
import { type Val, list, nilList } from '../values.js';
import { defineFuncs, intArg, strArg } from './signature.js';

/**
 * A regexp function: an invalid pattern gives onInvalid's result, or else fails the call (sprig's must*
 * variants, and the others where sprig's MustCompile panics).
 */
function withRegex<T>(f: () => T, onInvalid?: () => T): T {
  return recover(
    f,
    onInvalid ??
      ((e) => {
        throw ferr('invalid regular expression: ' + e.message);
      }),
    BadRegex,
  );
}
/** The leftmost match of pattern a[0] in a[1]: capture positions, or null. */
const firstMatch = (a: Val[]): number[] | null => pikeExec(compileRegex(strArg(a, 0)), strArg(a, 1), 0);

export const REGEX_FUNCS = defineFuncs((def) => {
  def('regexMatch', ['string', 'string'], (a) =>
    withRegex(
      () => firstMatch(a) !== null,
      () => false,
    ),
  );
  def('mustRegexMatch', ['string', 'string'], (a) => withRegex(() => firstMatch(a) !== null));
  def(['regexFindAll', 'mustRegexFindAll'], ['string', 'string', 'int'], (a) =>
    withRegex(() => {
      const matches = findAll(compileRegex(strArg(a, 0)), strArg(a, 1), intArg(a, 2));
      // Go's FindAllString returns a nil slice when nothing matches.
      return matches.length === 0
        ? nilList('string')
        : list(
            matches.map((m) => strArg(a, 1).slice(m[0], m[1])),
            'string',
          );
    }),
  );
  def(['regexFind', 'mustRegexFind'], ['string', 'string'], (a) =>
    withRegex(() => {
      const m = firstMatch(a);
      return m ? strArg(a, 1).slice(m[0], m[1]) : '';
    }),
  );
  def(['regexReplaceAll', 'mustRegexReplaceAll'], ['string', 'string', 'string'], (a) =>
    withRegex(() => regexReplace(strArg(a, 0), strArg(a, 1), strArg(a, 2), false)),
  );
  def(['regexReplaceAllLiteral', 'mustRegexReplaceAllLiteral'], ['string', 'string', 'string'], (a) =>
    withRegex(() => regexReplace(strArg(a, 0), strArg(a, 1), strArg(a, 2), true)),
  );
  def(['regexSplit', 'mustRegexSplit'], ['string', 'string', 'int'], (a) =>
    withRegex(() => regexSplit(strArg(a, 0), strArg(a, 1), intArg(a, 2))),
  );
  def('regexQuoteMeta', ['string'], (a) => strArg(a, 0).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'));
});
