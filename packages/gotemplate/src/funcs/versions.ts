// Sprig's semver (semverCompare, which needs Masterminds' constraint language, is not implemented).
import { newVersion } from '../semver.js';
import { defineFuncs, strArg } from './signature.js';

export const VERSION_FUNCS = defineFuncs((def) => {
  def('semver', ['string'], (a) => newVersion(strArg(a, 0)));
});
