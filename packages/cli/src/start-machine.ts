import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { newEdgeSecret, startGateway, type GatewayConfig, type RunningGateway } from '@matrix-os/gateway';
import { startEdge } from '@matrix-os/host';
import { shellServerPath, startShellProcess, type ShellProcess } from './shell-process.ts';

export interface RunningMachine {
  url: string;
  setupUrl: string | null;
  gateway: RunningGateway;
  shell: ShellProcess | null;
  stop(): Promise<void>;
}

/**
 * One user's machine on this computer: the gateway on a private port, the shell's production
 * server on another, and the edge on the public port in front of both.
 */
export async function startMachine(config: GatewayConfig, options: { shellDir: string; log: (line: string) => void }): Promise<RunningMachine> {
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  // The edge vouches for what it forwards with a secret made for this start; the gateway believes
  // X-Forwarded-For and -Proto only from a request that carries it.
  const edgeSecret = newEdgeSecret();
  const gateway = await startGateway({ ...config, port: 0, host: '127.0.0.1', edgeSecret });
  let shell: ShellProcess | null = null;
  let edge: Server | null = null;
  try {
    const serverPath = shellServerPath(options.shellDir);
    if (serverPath) shell = await startShellProcess(serverPath, (l) => options.log(`shell: ${l}`));
    else options.log('The shell is not built (run `npm run build -w shell`); serving the gateway alone.');
    const gatewayPort = Number(new URL(gateway.url).port);
    edge = await startEdge({
      port: config.port,
      host: config.host,
      upstreams: { gateway: { host: '127.0.0.1', port: gatewayPort }, shell: { host: '127.0.0.1', port: shell?.port ?? gatewayPort } },
      edgeSecret,
      ...(shell ? { buildAssetsDir: join(options.shellDir, '.next/static') } : {}),
    });
  } catch (err) {
    await shell?.stop();
    await gateway.close();
    throw err;
  }
  const edgePort = (edge.address() as AddressInfo).port;
  const finalUrl = config.publicUrl ?? `http://${host}:${edgePort}`;
  return {
    url: finalUrl,
    setupUrl: gateway.setupUrl ? `${finalUrl}/${new URL(gateway.setupUrl).search}` : null,
    gateway,
    shell,
    async stop() {
      await new Promise((r) => edge!.close(r));
      await shell?.stop();
      await gateway.close();
    },
  };
}
