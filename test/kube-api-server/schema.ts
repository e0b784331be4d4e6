// A small structural-schema engine for custom resources: pruning of unknown
// fields, dropping of non-nullable nulls, and the type/required/format checks
// that the real apiextensions-apiserver performs on CRs.

import { fe, type FieldError } from './errors.js';
import { isPlainObject } from './patch.js';
import { base64ErrorOffset } from './validation-util.js';

export interface JSONSchemaProps {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  format?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  nullable?: boolean;
  description?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [k: string]: unknown;
}

const goType = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
};

/**
 * Prune and validate `value` in place against `schema`. Unknown field paths are
 * appended to `unknown`, validation problems to `errs`. Returns the pruned value
 * (or `undefined` when the value itself must be dropped).
 */
export function pruneAndValidate(
  value: unknown,
  schema: JSONSchemaProps,
  path: string,
  errs: FieldError[],
  unknown: string[],
  isRoot = false,
): unknown {
  if (value === null) {
    return schema.nullable ? null : undefined;
  }
  const t = goType(value);
  const typeErr = (want: string) => errs.push(fe.typeInvalid(path, t, `${path} in body must be of type ${want}: ${JSON.stringify(t)}`));
  switch (schema.type) {
    case 'object': {
      if (!isPlainObject(value)) {
        typeErr('object');
        return value;
      }
      const obj = value as Record<string, unknown>;
      const props = schema.properties ?? {};
      for (const key of Object.keys(obj)) {
        const childPath = path ? `${path}.${key}` : key;
        if (isRoot && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
        const ps = props[key];
        if (ps) {
          const r = pruneAndValidate(obj[key], ps, childPath, errs, unknown);
          if (r === undefined) delete obj[key];
          else obj[key] = r;
        } else if (isPlainObject(schema.additionalProperties)) {
          const r = pruneAndValidate(obj[key], schema.additionalProperties, childPath, errs, unknown);
          if (r === undefined) delete obj[key];
          else obj[key] = r;
        } else if (schema['x-kubernetes-preserve-unknown-fields'] || schema.additionalProperties === true) {
          // kept as is
        } else {
          unknown.push(childPath);
          delete obj[key];
        }
      }
      for (const req of schema.required ?? []) {
        if (!(req in obj)) errs.push(fe.required(path ? `${path}.${req}` : req));
      }
      return obj;
    }
    case 'array': {
      if (!Array.isArray(value)) {
        typeErr('array');
        return value;
      }
      if (schema.items) {
        return value.map((v, i) => {
          const r = pruneAndValidate(v, schema.items!, `${path}[${i}]`, errs, unknown);
          return r === undefined ? null : r;
        });
      }
      return value;
    }
    case 'string':
      if (typeof value !== 'string') {
        typeErr('string');
        return value;
      }
      if (schema.format === 'byte' && base64ErrorOffset(value) >= 0) {
        errs.push(fe.invalid(path, value, `${path} in body must be of type byte: ${JSON.stringify(value)}`));
      }
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) {
        errs.push(fe.invalid(path, value, `${path} in body must be of type date-time: ${JSON.stringify(value)}`));
      }
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) typeErr('integer');
      return value;
    case 'number':
      if (typeof value !== 'number') typeErr('number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') typeErr('boolean');
      return value;
    default:
      return value;
  }
}
