/**
 * The entry of the single-file executable (scripts/build-sea.mjs). A Node SEA can
 * require only Node's built-in modules, so what the npm package loads from files
 * (node-forge, @kubernetes/client-node) is bundled in; the client stays lazy:
 * import() becomes a require evaluated on first use, as in the package.
 */
import './program/sea-launcher.js';
import './main.js';
