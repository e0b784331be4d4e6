// @sealkit/controller: the controller as a library, for embedding and tests; the bin is sealkit-controller.
export { parseOptions, type ControllerOptions } from './flags.js';
export { createLogger } from './logger.js';
export { startController, type RunningController } from './run.js';
