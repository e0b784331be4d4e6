// The renderer's internal error types; index.ts turns them into SealkitError at the boundary.

/** A fully formatted (byte string) error message of a parse or an execution. */
export class TplError extends Error {}

/** An error returned (or panicked) by a function; the evaluator adds "error calling NAME: ". */
export class FuncError extends Error {}

export const ferr = (msg: string): FuncError => new FuncError(msg);

/**
 * Runs f; an error of the given FuncError class becomes onError's result instead. Sprig's lenient
 * variants (toJson, b64dec, regexMatch, ...) return a fallback where their must* twins fail.
 */
export function recover<T>(f: () => T, onError: (e: FuncError) => T, kind: typeof FuncError = FuncError): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof kind) return onError(e);
    throw e;
  }
}
