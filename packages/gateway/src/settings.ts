import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { GatewayDatabase } from './db-types.ts';

/** Reads one machine setting. */
export async function getSetting(db: Kysely<GatewayDatabase>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('matrix_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Writes one machine setting. */
export async function setSetting(db: Kysely<GatewayDatabase>, key: string, value: string): Promise<void> {
  await db
    .insertInto('matrix_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
    .execute();
}

/** Returns a random secret stored under `key`, creating it once; concurrent starters agree on one. */
export async function ensureSecret(db: Kysely<GatewayDatabase>, key: string): Promise<string> {
  await db
    .insertInto('matrix_settings')
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, key))!;
}
