import { EDGE_SECRET_HEADER } from '@matrix-os/protocol';
import { BUILD_ASSET_PREFIX } from './build-assets.ts';
import { EDGE_ROUTES, type EdgeRoute, type Upstream } from './route-table.ts';

export interface NginxOptions {
  /** Where each upstream listens, e.g. `127.0.0.1:4100`. */
  upstreams: Record<Upstream, string>;
  listen: number;
  serverName?: string;
  /** TLS certificate and key; without them the server listens on plain HTTP. */
  tls?: { certificate: string; key: string };
  /** Largest upload the edge lets through (the gateway applies its own, smaller limits per route). */
  clientMaxBodySize?: string;
  /** Extra top-level lines (pid, error_log, temp paths) for running nginx as a non-root child. */
  preamble?: string[];
  /** The shell's `.next/static` folder: nginx answers its files itself, with the gzip made at build time. */
  buildAssetsDir?: string;
  /**
   * The include file that adds the edge's secret to requests bound for the gateway (written by the
   * gateway from MATRIX_EDGE_SECRET_FILE; see protocol/edge.ts). Without it the gateway believes no
   * forwarding header: every browser counts as 127.0.0.1 and cookies are Secure only by the public URL.
   */
  edgeSecretFile?: string;
}

// Every answer says nosniff, the upstream's own header hidden so it is said once.
const NOSNIFF = 'add_header X-Content-Type-Options nosniff always;';

function location(route: EdgeRoute, edgeSecretFile: string | undefined): string {
  const lines = [
    `    location ${route.prefix === '/' ? '/' : `^~ ${route.prefix}`} {`,
    `      proxy_pass http://${route.upstream};`,
    '      proxy_http_version 1.1;',
    '      proxy_set_header Host $http_host;',
    '      proxy_set_header X-Forwarded-For $remote_addr;',
    '      proxy_set_header X-Forwarded-Proto $scheme;',
    // A client's own copy of the secret header never passes; the gateway's requests get the real one.
    route.upstream === 'gateway' && edgeSecretFile ? `      include ${edgeSecretFile};` : `      proxy_set_header ${EDGE_SECRET_HEADER} "";`,
    '      proxy_hide_header X-Content-Type-Options;',
    '      proxy_buffering off;',
  ];
  if (route.websocket) {
    lines.push('      proxy_set_header Upgrade $http_upgrade;', '      proxy_set_header Connection $connection_upgrade;', '      proxy_read_timeout 1h;');
  }
  lines.push('    }');
  return lines.join('\n');
}

/** Content-hashed build files straight from disk; a name that is not there is the shell's 404. */
function buildAssetsLocation(dir: string): string {
  return [
    `    location ^~ ${BUILD_ASSET_PREFIX} {`,
    `      alias ${dir.replace(/\/+$/, '')}/;`,
    '      gzip_static on;',
    '      add_header Cache-Control "public, max-age=31536000, immutable";',
    `      ${NOSNIFF}`,
    '    }',
  ].join('\n');
}

/** Renders the edge route table as a complete nginx.conf for a machine. */
export function renderNginxConfig(options: NginxOptions, routes: readonly EdgeRoute[] = EDGE_ROUTES): string {
  const listen = options.tls ? `${options.listen} ssl` : String(options.listen);
  return [
    ...(options.preamble ?? []),
    'events { worker_connections 1024; }',
    'http {',
    '  map $http_upgrade $connection_upgrade { default upgrade; "" close; }',
    ...Object.entries(options.upstreams).map(([name, addr]) => `  upstream ${name} { server ${addr}; keepalive 32; }`),
    '  server {',
    `    listen ${listen};`,
    `    server_name ${options.serverName ?? '_'};`,
    `    client_max_body_size ${options.clientMaxBodySize ?? '2g'};`,
    ...(options.tls ? [`    ssl_certificate ${options.tls.certificate};`, `    ssl_certificate_key ${options.tls.key};`] : []),
    `    ${NOSNIFF}`,
    ...(options.buildAssetsDir ? [buildAssetsLocation(options.buildAssetsDir)] : []),
    ...routes.map((r) => location(r, options.edgeSecretFile)),
    '  }',
    '}',
    '',
  ].join('\n');
}
