// Sprig's default and flow-control functions: default, empty, coalesce, all, any, ternary and fail.
import { ferr } from '../errors.js';
import { truth } from '../values.js';
import { boolArg, defineFuncs } from './signature.js';

export const DEFAULT_FUNCS = defineFuncs((def) => {
  def('default', ['any'], (a) => (a.length < 2 || !truth(a[1]!) ? a[0]! : a[1]!), 'any');
  def('empty', ['any'], (a) => !truth(a[0]!));
  def('coalesce', [], (a) => a.find((x) => truth(x)) ?? null, 'any');
  def('all', [], (a) => a.every(truth), 'any');
  def('any', [], (a) => a.some(truth), 'any');
  def('ternary', ['any', 'any', 'bool'], (a) => (boolArg(a, 2) ? a[0]! : a[1]!));
  def('fail', ['string'], () => {
    throw ferr('fail was called (message withheld: it may contain secret data)');
  });
});
