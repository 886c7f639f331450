import { NextResponse, type NextRequest } from 'next/server';
import { OWN_RESOURCE_DIRECTIVES } from '@matrix-os/protocol/browser';

/**
 * The shell's Content-Security-Policy for one page load. Scripts come from the machine itself, and
 * an inline script runs only when it carries this load's nonce: Next.js reads it from the request's
 * policy header and puts it on its own inline scripts; the layout puts it on its boot scripts.
 */
export function shellPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // React's development build rebuilds server error stacks with eval; production never evals.
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    // React, React Flow and xterm set inline styles; a style cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // App windows, previews and the code editor are all served by the machine.
    "frame-src 'self'",
    ...OWN_RESOURCE_DIRECTIVES,
  ].join('; ');
}

/** Gives every page load a fresh nonce and its policy, on the request (for rendering) and on the answer. */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const policy = shellPolicy(nonce, process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Pages only: build assets carry no inline script (and the edge answers them itself); prefetches render nothing.
  matcher: [
    {
      source: '/((?!_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
