// Sprig's reflection functions: typeOf, typeIs, typeIsLike, kindOf, kindIs and deepEqual.
import { deepEqual, kindName, typeName } from '../values.js';
import { defineFuncs, strArg } from './signature.js';

export const REFLECTION_FUNCS = defineFuncs((def) => {
  def('typeOf', ['any'], (a) => typeName(a[0]!));
  def('typeIs', ['string', 'any'], (a) => strArg(a, 0) === typeName(a[1]!));
  def('typeIsLike', ['string', 'any'], (a) => strArg(a, 0) === typeName(a[1]!) || '*' + strArg(a, 0) === typeName(a[1]!));
  def('kindOf', ['any'], (a) => kindName(a[0]!));
  def('kindIs', ['string', 'any'], (a) => strArg(a, 0) === kindName(a[1]!));
  def('deepEqual', ['any', 'any'], (a) => deepEqual(a[0]!, a[1]!));
});
