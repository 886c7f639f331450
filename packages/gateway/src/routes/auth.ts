import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod/v4';
import { SESSION_COOKIE, SESSION_MAX_AGE_SEC, type OwnerAuth } from '../auth/owner-auth.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { ownerOf, requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { rateLimit } from '../middleware/rate-limit/index.ts';
import { readJson } from '../middleware/validate/index.ts';
import { AppError } from '../errors.ts';

const password = z.string().min(8, 'must be at least 8 characters').max(200);
const loginBody = z.object({ password: z.string().min(1).max(200) });
const setupBody = z.object({ token: z.string().min(1).max(200), password });
const changeBody = z.object({ current: z.string().min(1).max(200), next: password });

/** Owner sign-in for single-user machines: status, first-run setup, login, logout, password change. */
export function createAuthRoutes(deps: AuthDeps & { publicUrlIsHttps: boolean }) {
  const owner = deps.owner;
  const needOwnerMode = (): OwnerAuth => {
    if (!owner) throw new AppError('not_found', 'This machine signs in through the platform.');
    return owner;
  };
  // Secure whenever the browser reached us over TLS: the public URL says so, or the edge does.
  const startSession = (c: Context<GatewayEnv>, token: string) =>
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.publicUrlIsHttps || c.get('client').https,
      path: '/',
      maxAge: SESSION_MAX_AGE_SEC,
    });
  // Ten tries per address, then one every six seconds: slow enough to make guessing hopeless.
  const loginLimit = rateLimit({
    ratePerSec: 1 / 6,
    burst: 10,
    // The browser's address as the edge reports it; any other caller is counted as itself.
    key: (c) => (c as Context<GatewayEnv>).get('client').address,
    message: 'Too many sign-in attempts. Wait a minute and try again.',
  });

  return new Hono<GatewayEnv>()
    .use('*', limitBody(16 * 1024))
    .get('/status', async (c) =>
      c.json({
        mode: owner ? 'owner' : 'platform',
        setupRequired: owner ? !(await owner.hasPassword()) : false,
        signedIn: (await ownerOf(deps, c)) !== null,
      }),
    )
    .post('/setup', loginLimit, async (c) => {
      const body = await readJson(c, setupBody);
      startSession(c, await needOwnerMode().setup(body.token, body.password));
      return c.json({ signedIn: true });
    })
    .post('/login', loginLimit, async (c) => {
      const body = await readJson(c, loginBody);
      startSession(c, await needOwnerMode().login(body.password));
      return c.json({ signedIn: true });
    })
    .post('/logout', async (c) => {
      await owner?.logout(getCookie(c, SESSION_COOKIE));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ signedIn: false });
    })
    .post('/password', requireOwner(deps), loginLimit, async (c) => {
      const body = await readJson(c, changeBody);
      startSession(c, await needOwnerMode().changePassword(body.current, body.next));
      return c.json({ changed: true });
    });
}
