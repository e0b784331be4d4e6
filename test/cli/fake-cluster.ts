/** A fake API server with the controller stub behind its service proxy, and the controller's keys. */
import { Keyring, generateKeyPair } from '../../packages/core/src/index.js';
import { startKubeApiServer, type KubeApiServer } from '../kube-api-server/index.js';
import { startControllerStub, type ControllerStub } from './controller-stub.js';

export interface FakeCluster {
  api: KubeApiServer;
  controller: ControllerStub;
  controllerKeys: Keyring;
  close(): Promise<void>;
}

export async function startFakeCluster(): Promise<FakeCluster> {
  const pair = await generateKeyPair({ bits: 2048 });
  const controllerKeys = await Keyring.from(pair.certificatePem + pair.privateKeyPem);
  const [api, controller] = await Promise.all([startKubeApiServer(), startControllerStub(controllerKeys)]);
  api.registerService('kube-system', 'sealed-secrets-controller', controller.url);
  return { api, controller, controllerKeys, close: async () => void (await Promise.all([api.close(), controller.close()])) };
}
