import type { Context, MiddlewareHandler } from 'hono';
import { parse as parseCookies } from 'hono/utils/cookie';
import type { AppCredentials } from '../../auth/app-credential.ts';
import { SESSION_COOKIE, type OwnerAuth } from '../../auth/owner-auth.ts';
import { PLATFORM_JWT_HEADER, type PlatformJwtVerifier } from '../../auth/platform-jwt.ts';
import { AppError } from '../../errors.ts';

export interface AuthDeps {
  owner?: OwnerAuth;
  platform?: PlatformJwtVerifier;
  apps: AppCredentials;
}

/** Who is calling: the machine's owner (their session or the platform's JWT) or one app. */
export type Principal = { kind: 'owner'; userId: string } | { kind: 'app'; app: string };

function bearer(c: Context): string | undefined {
  const h = c.req.header('authorization');
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/**
 * Resolves the owner from a session cookie (owner mode) or a platform JWT (hosted mode), given the
 * request's headers: a Hono request's or a raw Node one's (a WebSocket upgrade that never reaches Hono).
 */
export async function ownerOfHeaders(deps: AuthDeps, headers: Record<string, string | string[] | undefined>): Promise<string | null> {
  const platform = headers[PLATFORM_JWT_HEADER];
  if (deps.platform) return deps.platform.verify(typeof platform === 'string' ? platform : undefined);
  const cookie = typeof headers.cookie === 'string' ? parseCookies(headers.cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
  if (deps.owner && (await deps.owner.verifySession(cookie))) return 'owner';
  return null;
}

/** `ownerOfHeaders` for a Hono request. */
export function ownerOf(deps: AuthDeps, c: Context): Promise<string | null> {
  return ownerOfHeaders(deps, { cookie: c.req.header('cookie'), [PLATFORM_JWT_HEADER]: c.req.header(PLATFORM_JWT_HEADER) });
}

/** Resolves an app from its credential: `Authorization: Bearer`, or `?token=` where headers cannot be set (WebSocket). */
export async function appOf(deps: AuthDeps, c: Context, allowQuery = false): Promise<string | null> {
  return deps.apps.verify(bearer(c) ?? (allowQuery ? c.req.query('token') : undefined));
}

/** Lets only the owner through; app credentials never pass here. */
export function requireOwner(deps: AuthDeps): MiddlewareHandler {
  return async (c, next) => {
    const userId = await ownerOf(deps, c);
    if (!userId) throw new AppError('unauthorized', 'Sign in first.');
    c.set('principal', { kind: 'owner', userId } satisfies Principal);
    await next();
  };
}

/** Lets only a caller with an app credential through; the app comes from the credential alone. */
export function requireApp(deps: AuthDeps): MiddlewareHandler {
  return async (c, next) => {
    const app = await appOf(deps, c);
    if (!app) throw new AppError('unauthorized', 'An app credential is required.');
    c.set('principal', { kind: 'app', app } satisfies Principal);
    await next();
  };
}
