// How template functions are declared: Go parameter types, the definition record and argument accessors.
import type { GoInt, GoMap, Val } from '../values.js';

/** Go parameter types of template functions. 'dict' is map[string]interface{}. */
export type PT = 'string' | 'int' | 'int64' | 'uint32' | 'float64' | 'bool' | 'any' | 'dict' | 'time';
export const PT_NAME: Record<PT, string> = {
  string: 'string',
  int: 'int',
  int64: 'int64',
  uint32: 'uint32',
  float64: 'float64',
  bool: 'bool',
  any: 'interface {}',
  dict: 'map[string]interface {}',
  time: 'time.Time',
};
export interface FnDef {
  p: PT[];
  v?: PT; // type of the variadic parameters, if any
  f: (a: Val[]) => Val;
}
export type FuncMap = Map<string, FnDef>;

/** Declares a function under one or more names: its fixed parameter types, body and variadic type. */
export type Define = (names: string | string[], p: PT[], f: (a: Val[]) => Val, v?: PT) => void;

/** Builds one family's function map from its def(...) calls. */
export function defineFuncs(declare: (def: Define) => void): FuncMap {
  const funcs: FuncMap = new Map();
  declare((names, p, f, v) => {
    for (const name of typeof names === 'string' ? [names] : names) funcs.set(name, v === undefined ? { p, f } : { p, v, f });
  });
  return funcs;
}

// Arguments as the evaluator has already typed them against the declared parameter types.
export const strArg = (a: Val[], i: number): string => a[i] as string;
/** An int parameter as a JS number. */
export const intArg = (a: Val[], i: number): number => Number((a[i] as GoInt).n);
export const boolArg = (a: Val[], i: number): boolean => a[i] as boolean;
export const dictArg = (a: Val[], i: number): GoMap | null => a[i] as GoMap | null;
