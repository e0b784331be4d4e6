/**
 * The one error type core throws on bad input. `code` is stable for programs;
 * `message` is one sentence for people and never contains a secret value or key.
 */
export type SealkitErrorCode =
  | 'bad-input' // malformed base64, PEM, DER, YAML or manifest
  | 'bad-key' // unusable key or certificate (not RSA, wrong size, corrupt)
  | 'expired-certificate'
  | 'no-key' // none of the keys opens the value
  | 'decrypt-failed' // a key opened the RSA part but the value was tampered with
  | 'unknown-format' // a post-quantum value of a format version this sealkit does not know
  | 'bad-template' // spec.template.data could not be parsed or executed
  | 'bad-secret'; // a Secret / SealedSecret that cannot be sealed or unsealed as given

export class SealkitError extends Error {
  readonly code: SealkitErrorCode;
  constructor(code: SealkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SealkitError';
    this.code = code;
  }
}
