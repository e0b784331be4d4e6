// The WebCrypto polyfill for Node-like runtimes without globalThis.crypto (see webcrypto.ts).
export { Crypto } from '@peculiar/webcrypto';
