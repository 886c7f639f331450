import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const here = dirname(fileURLToPath(import.meta.url));
// In development (`next dev`), calls to the gateway go through rewrites; in production the
// machine's edge routes /api, /ws, /files, /apps to the gateway and the shell never proxies.
const gateway = process.env.MATRIX_GATEWAY_URL;

const config: NextConfig = {
  output: 'standalone',
  outputFileTracingRoot: dirname(here),
  transpilePackages: ['@matrix-os/protocol', '@matrix-os/app-sdk'],
  poweredByHeader: false,
  reactStrictMode: true,
  turbopack: { root: dirname(here) },
  // Every answer of the shell, pages and assets alike (the page's policy comes from proxy.ts).
  async headers() {
    return [{ source: '/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] }];
  },
  async rewrites() {
    if (!gateway) return [];
    return ['/api/:path*', '/ws/:path*', '/ws', '/files/:path*', '/apps/:path*'].map((source) => ({ source, destination: `${gateway}${source}` }));
  },
};

export default config;
