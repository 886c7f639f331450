import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { GatewayDatabase } from '../db-types.ts';
import { AppError } from '../errors.ts';
import { getSetting, setSetting } from '../settings.ts';

const SESSION_DAYS = 30;
// A verified session is trusted this long without asking the database again, so a page that loads
// many files does not cost a query each. Logout and password changes in this process drop it at once.
const VERIFIED_MS = 5_000;
const VERIFIED_MAX = 1_000;
const PASSWORD_KEY = 'owner_password_hash';
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/**
 * The owner of a single-user machine: one password (argon2id), sessions stored hashed.
 * Until a password exists, a one-time setup token printed at start lets the owner choose one.
 */
export class OwnerAuth {
  private setupToken: string | null = null;
  /** Session token hash → time until which it counts as verified. */
  private readonly verified = new Map<string, number>();

  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  /** Applies a password given in the environment, or prepares a setup token when none is set. */
  async init(envPassword?: string): Promise<{ setupToken: string | null }> {
    if (envPassword) {
      const current = await getSetting(this.db, PASSWORD_KEY);
      if (!current || !(await verify(current, envPassword))) await setSetting(this.db, PASSWORD_KEY, await hash(envPassword));
    }
    this.setupToken = (await this.hasPassword()) ? null : randomBytes(18).toString('base64url');
    return { setupToken: this.setupToken };
  }

  async hasPassword(): Promise<boolean> {
    return (await getSetting(this.db, PASSWORD_KEY)) !== undefined;
  }

  /** Sets the first password with the setup token; refused once a password exists. */
  async setup(token: string, password: string): Promise<string> {
    const expected = this.setupToken;
    if (!expected || (await this.hasPassword())) throw new AppError('conflict', 'This machine already has an owner password.');
    const a = Buffer.from(token);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AppError('forbidden', 'The setup code is not right. Use the link the gateway printed at start.');
    await setSetting(this.db, PASSWORD_KEY, await hash(password));
    this.setupToken = null;
    return this.createSession();
  }

  /** Checks the password and opens a session; the same message for every failure. */
  async login(password: string): Promise<string> {
    const stored = await getSetting(this.db, PASSWORD_KEY);
    if (!stored || !(await verify(stored, password))) throw new AppError('unauthorized', 'Wrong password.');
    return this.createSession();
  }

  /** Changes the password and ends every other session. */
  async changePassword(current: string, next: string): Promise<string> {
    const stored = await getSetting(this.db, PASSWORD_KEY);
    if (!stored || !(await verify(stored, current))) throw new AppError('forbidden', 'The current password is not right.');
    await setSetting(this.db, PASSWORD_KEY, await hash(next));
    await this.db.deleteFrom('owner_sessions').execute();
    this.verified.clear();
    return this.createSession();
  }

  /** True when the cookie value names a live session. */
  async verifySession(token: string | undefined): Promise<boolean> {
    if (!token || token.length > 200) return false;
    const key = sha256(token);
    const now = Date.now();
    if ((this.verified.get(key) ?? 0) > now) return true;
    const row = await this.db
      .selectFrom('owner_sessions')
      .select('expires_at')
      .where('token_hash', '=', key)
      .executeTakeFirst();
    const live = !!row && row.expires_at.getTime() > now;
    if (!live) return false;
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(key, Math.min(now + VERIFIED_MS, row.expires_at.getTime()));
    return true;
  }

  async logout(token: string | undefined): Promise<void> {
    if (!token) return;
    this.verified.delete(sha256(token));
    await this.db.deleteFrom('owner_sessions').where('token_hash', '=', sha256(token)).execute();
  }

  private async createSession(): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.deleteFrom('owner_sessions').where('expires_at', '<', new Date()).execute();
    await this.db
      .insertInto('owner_sessions')
      .values({ token_hash: sha256(token), expires_at: new Date(Date.now() + SESSION_DAYS * 86400_000) })
      .execute();
    return token;
  }
}

export const SESSION_COOKIE = 'matrix_session';
export const SESSION_MAX_AGE_SEC = SESSION_DAYS * 86400;
