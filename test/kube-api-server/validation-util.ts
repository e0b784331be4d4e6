// Validation helpers mirroring k8s.io/apimachinery/pkg/util/validation.
// Each returns an error detail string (the text after "Invalid value: X: ")
// or undefined when valid.

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;
const configKeyFmt = '[-._a-zA-Z0-9]+';

const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
const configKeyRe = new RegExp(`^${configKeyFmt}$`);

export function validateDNS1123Subdomain(v: string): string | undefined {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!dns1123SubdomainRe.test(v)) {
    errs.push(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${dns1123SubdomainFmt}')`,
    );
  }
  return errs.length ? errs.join(', ') : undefined;
}

export function validateDNS1123Label(v: string): string | undefined {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1123LabelRe.test(v)) {
    errs.push(
      `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${dns1123LabelFmt}')`,
    );
  }
  return errs.length ? errs.join(', ') : undefined;
}

export function validateDNS1035Label(v: string): string | undefined {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1035LabelRe.test(v)) {
    errs.push(
      `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${dns1035LabelFmt}')`,
    );
  }
  return errs.length ? errs.join(', ') : undefined;
}

/** Qualified name as used for label and annotation keys: [prefix/]name. */
export function validateQualifiedName(v: string): string | undefined {
  const parts = v.split('/');
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else {
      const pe = validateDNS1123Subdomain(prefix);
      if (pe) errs.push(`prefix part ${pe}`);
    }
  } else {
    return `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${qualifiedNameFmt}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !qualifiedNameRe.test(name)) {
    errs.push(
      `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${qualifiedNameFmt}')`,
    );
  }
  return errs.length ? errs.join(', ') : undefined;
}

export const validateLabelKey = validateQualifiedName;

export function validateLabelValue(v: string): string | undefined {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!labelValueRe.test(v)) {
    errs.push(
      `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${labelValueFmt}')`,
    );
  }
  return errs.length ? errs.join(', ') : undefined;
}

export function validateConfigMapKey(v: string): string | undefined {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!configKeyRe.test(v)) {
    errs.push(
      `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${configKeyFmt}')`,
    );
  }
  if (v === '.') errs.push(`must not be '.'`);
  else if (v === '..') errs.push(`must not be '..'`);
  else if (v.startsWith('..')) errs.push(`must not start with '..'`);
  return errs.length ? errs.join(', ') : undefined;
}

/** Path segment names (used for CR names in addition to DNS subdomain rules). */
export function validatePathSegmentName(v: string): string | undefined {
  if (v === '.' || v === '..') return `may not be '${v}'`;
  if (v.includes('/')) return `may not contain '/'`;
  if (v.includes('%')) return `may not contain '%'`;
  return undefined;
}

const B64 = /^[A-Za-z0-9+/]$/;

/**
 * Check a string the way Go's encoding/json decodes []byte (base64.StdEncoding,
 * which skips \r and \n). Returns the offset Go would report in
 * "illegal base64 data at input byte N", or -1 when the string is valid.
 */
export function base64ErrorOffset(s: string): number {
  const n = s.length;
  let si = 0;
  for (;;) {
    let j = 0;
    while (j < 4) {
      if (si === n) {
        if (j === 0) return -1;
        return si - j; // incomplete final quantum (padding is mandatory)
      }
      const c = s[si]!;
      si++;
      if (c === '\n' || c === '\r') continue;
      if (B64.test(c)) {
        j++;
        continue;
      }
      if (c === '=') {
        if (j === 0 || j === 1) return si - 1;
        if (j === 2) {
          while (si < n && (s[si] === '\n' || s[si] === '\r')) si++;
          if (si === n) return n;
          if (s[si] !== '=') return si - 1;
          si++;
        }
        while (si < n && (s[si] === '\n' || s[si] === '\r')) si++;
        return si < n ? si : -1;
      }
      return si - 1;
    }
  }
}

export const MAX_SECRET_SIZE = 1024 * 1024;
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
