import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Manifest } from '@matrix-os/protocol';
import type { GatewayDatabase, StoredStorage } from '../db-types.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Logger } from '../logger.ts';
import { appSchemaName, applyDdl, lockAppSchema, readPhysicalSchema } from './app-schema.ts';
import { readManifest } from './read-manifest.ts';
import { planStorage } from './storage-plan.ts';

/** One app as the registry knows it. */
export interface RegisteredApp {
  slug: string;
  name: string;
  status: 'ok' | 'invalid';
  errors: string[];
  manifest: Manifest | null;
  /** The storage applied to the database; what the bridge serves. */
  storage: StoredStorage | null;
  schema: string;
}

/**
 * Keeps the `matrix_apps` table and the app schemas in step with `home/apps/*\/matrix.json`.
 * Invalid manifests are recorded with their reasons; the last applied storage keeps serving.
 */
export class AppRegistry {
  private readonly apps = new Map<string, RegisteredApp>();

  constructor(
    private readonly db: Kysely<GatewayDatabase>,
    private readonly appsDir: string,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Loads what the table recorded, then rescans every app folder. */
  async start(): Promise<void> {
    const rows = await this.db.selectFrom('matrix_apps').selectAll().execute();
    for (const r of rows) {
      this.apps.set(r.slug, {
        slug: r.slug,
        name: r.name,
        status: r.status,
        errors: r.errors,
        manifest: (r.manifest as Manifest) ?? null,
        storage: r.active_storage,
        schema: appSchemaName(r.slug),
      });
    }
    await this.syncAll();
  }

  /** Every app folder is (re)registered; registry rows whose folder is gone are removed. */
  async syncAll(): Promise<void> {
    let folders: string[] = [];
    try {
      const entries = await readdir(this.appsDir, { withFileTypes: true });
      folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const slug of folders) await this.syncApp(slug);
    for (const slug of [...this.apps.keys()]) if (!folders.includes(slug)) await this.remove(slug);
  }

  /** Re-reads one app's manifest and migrates its storage additively. */
  async syncApp(slug: string): Promise<RegisteredApp> {
    const previous = this.apps.get(slug);
    const result = await readManifest(this.appsDir, slug);
    let app: RegisteredApp;
    if (!result.ok) {
      app = { slug, name: previous?.name ?? slug, status: 'invalid', errors: result.errors, manifest: null, storage: previous?.storage ?? null, schema: appSchemaName(slug) };
    } else {
      const schema = appSchemaName(slug);
      const outcome = await this.db.transaction().execute(async (trx) => {
        await lockAppSchema(trx, schema);
        const plan = planStorage(await readPhysicalSchema(trx, schema), result.manifest.storage);
        if (plan.ok) await applyDdl(trx, schema, plan.steps);
        return plan;
      });
      app = outcome.ok
        ? { slug, name: result.manifest.name, status: 'ok', errors: [], manifest: result.manifest, storage: outcome.storage, schema }
        : { slug, name: result.manifest.name, status: 'invalid', errors: outcome.errors, manifest: result.manifest, storage: previous?.storage ?? null, schema };
    }
    await this.record(app);
    this.apps.set(slug, app);
    if (app.status === 'invalid') this.logger.warn({ slug, errors: app.errors }, 'app manifest refused');
    this.events.publish({ type: 'app:registry', slug, status: app.status });
    return app;
  }

  /** Forgets an app whose folder was removed. Its schema and data stay in the database. */
  async remove(slug: string): Promise<void> {
    await this.db.deleteFrom('matrix_apps').where('slug', '=', slug).execute();
    if (this.apps.delete(slug)) this.events.publish({ type: 'app:registry', slug, status: 'removed' });
  }

  get(slug: string): RegisteredApp | undefined {
    return this.apps.get(slug);
  }

  list(): RegisteredApp[] {
    return [...this.apps.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  }

  private async record(app: RegisteredApp): Promise<void> {
    const values = {
      slug: app.slug,
      name: app.name,
      status: app.status,
      errors: JSON.stringify(app.errors),
      manifest: app.manifest ? JSON.stringify(app.manifest) : null,
      active_storage: app.storage ? JSON.stringify(app.storage) : null,
      updated_at: new Date(),
    };
    await this.db
      .insertInto('matrix_apps')
      .values(values)
      .onConflict((oc) => oc.column('slug').doUpdateSet(values))
      .execute();
  }
}

export const appsDirOf = (homeDir: string) => join(homeDir, 'apps');
