/** Browsers withhold WebCrypto from insecure origins; the page says so up front instead of failing on Seal. */
export const WEBCRYPTO_REQUIRED = 'This page needs WebCrypto: open it over HTTPS or on localhost.';
