// Browsers lack WebCrypto only on insecure origins; no polyfill can help there.
import { SealkitError } from './errors.js';

export class Crypto {
  constructor() {
    throw new SealkitError('bad-input', 'This runtime has no WebCrypto: open the page over HTTPS or on localhost.');
  }
}
