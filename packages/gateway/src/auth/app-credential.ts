import { SignJWT, jwtVerify } from 'jose';

const AUDIENCE = 'matrix-app';
const TTL_SEC = 12 * 3600;
const CACHE_MAX = 1000;

/**
 * Credentials scoped to one app: the shell asks for one when it opens the app, and the bridge
 * derives the calling app from it alone. Verified tokens are cached until they expire so the
 * bridge's hot path does not redo the HMAC.
 */
export class AppCredentials {
  private readonly key: Uint8Array;
  private readonly cache = new Map<string, { app: string; exp: number }>();

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Issues a credential for `app`, valid for 12 hours. */
  async issue(app: string): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(Date.now() / 1000) + TTL_SEC;
    const token = await new SignJWT({ app })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The app a credential belongs to, or null when it is not one of ours or has expired. */
  async verify(token: string | undefined): Promise<string | null> {
    if (!token || token.length > 2048) return null;
    const cached = this.cache.get(token);
    if (cached) {
      if (cached.exp * 1000 > Date.now()) return cached.app;
      this.cache.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], audience: AUDIENCE, requiredClaims: ['exp'] });
      if (typeof payload.app !== 'string') return null;
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(token, { app: payload.app, exp: payload.exp! });
      return payload.app;
    } catch {
      return null;
    }
  }
}
