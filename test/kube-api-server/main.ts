// Manual use: `npx tsx test/kube-api-server/main.ts [--port 6443] [--auto-create-namespaces]`
// Prints the URL and the kubeconfig path (for sealkit and the controller; kubectl needs the
// real API server of test/kube-real).
import { startKubeApiServer } from './index.js';

const args = process.argv.slice(2);
const portIdx = args.indexOf('--port');
const port = portIdx >= 0 ? Number(args[portIdx + 1]) : undefined;
const server = await startKubeApiServer({
  port,
  autoCreateNamespaces: args.includes('--auto-create-namespaces'),
});
process.stdout.write(`${server.url}\n`);
process.stderr.write(`kubeconfig: ${server.kubeconfigPath}\n`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
