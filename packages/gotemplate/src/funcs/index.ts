// The template function map: Go's builtins plus sprig's generic map (minus env, expandenv, getHostByName).
import { BUILTIN_FUNCS } from './builtins.js';
import { CONVERSION_FUNCS } from './conversion.js';
import { CRYPTO_FUNCS } from './crypto.js';
import { DATE_FUNCS } from './dates.js';
import { DECIMAL_FUNCS } from './decimal-math.js';
import { DEFAULT_FUNCS } from './defaults.js';
import { DICT_FUNCS } from './dicts.js';
import { ENCODING_FUNCS } from './encoding.js';
import { LIST_FUNCS } from './lists.js';
import { MATH_FUNCS } from './math.js';
import { PATH_FUNCS } from './paths.js';
import { PRIVATE_KEY_FUNCS } from './private-keys.js';
import { RANDOM_FUNCS } from './random.js';
import { REFLECTION_FUNCS } from './reflection.js';
import { REGEX_FUNCS } from './regex.js';
import type { FuncMap } from './signature.js';
import { STRING_FUNCS } from './strings.js';
import { URL_FUNCS } from './urls.js';
import { VERSION_FUNCS } from './versions.js';
import { WORD_FUNCS } from './word-case.js';

export const FUNCS: FuncMap = new Map([
  ...BUILTIN_FUNCS,
  ...STRING_FUNCS,
  ...CONVERSION_FUNCS,
  ...MATH_FUNCS,
  ...DECIMAL_FUNCS,
  ...RANDOM_FUNCS,
  ...DEFAULT_FUNCS,
  ...ENCODING_FUNCS,
  ...REFLECTION_FUNCS,
  ...PATH_FUNCS,
  ...LIST_FUNCS,
  ...DICT_FUNCS,
  ...REGEX_FUNCS,
  ...WORD_FUNCS,
  ...CRYPTO_FUNCS,
  ...DATE_FUNCS,
  ...URL_FUNCS,
  ...PRIVATE_KEY_FUNCS,
  ...VERSION_FUNCS,
]);

/** In sprig's map, but not implemented here: a parse error says so instead of "not defined". */
export const UNSUPPORTED = new Set([
  'buildCustomCert',
  'genCA',
  'genCAWithKey',
  'genSelfSignedCert',
  'genSelfSignedCertWithKey',
  'genSignedCert',
  'genSignedCertWithKey',
  'semverCompare',
]);
