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
}

function location(route: EdgeRoute): string {
  const lines = [
    `    location ${route.prefix === '/' ? '/' : `^~ ${route.prefix}`} {`,
    `      proxy_pass http://${route.upstream};`,
    '      proxy_http_version 1.1;',
    '      proxy_set_header Host $host;',
    '      proxy_set_header X-Forwarded-For $remote_addr;',
    '      proxy_set_header X-Forwarded-Proto $scheme;',
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
    ...(options.buildAssetsDir ? [buildAssetsLocation(options.buildAssetsDir)] : []),
    ...routes.map(location),
    '  }',
    '}',
    '',
  ].join('\n');
}
