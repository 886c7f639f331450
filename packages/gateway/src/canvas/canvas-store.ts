import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { applyCanvasOps, CanvasOpError, emptyCanvasDocument, type CanvasDocument, type CanvasOp, type CanvasRecord, type CanvasSummary } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import type { CanvasDatabase } from './canvas-db.ts';
import type { CanvasHub } from './canvas-hub.ts';

export type { CanvasSummary };

const OP_ERROR_CODE = { missing: 'not_found', duplicate: 'validation', full: 'validation', cycle: 'validation' } as const;

function toRecord(row: { id: string; name: string; revision: number; document: CanvasDocument; updated_at: Date }): CanvasRecord {
  return { id: row.id, name: row.name, revision: row.revision, document: row.document, updatedAt: new Date(row.updated_at).toISOString() };
}

/**
 * Canvas documents in the user's database. Every write checks the revision it was made against
 * inside a transaction holding the row lock, so two writers can never both win on one revision;
 * every committed change is published on the hub.
 */
export class CanvasStore {
  private readonly db: Kysely<CanvasDatabase>;

  constructor(
    db: Kysely<any>,
    readonly hub: CanvasHub,
  ) {
    this.db = db as Kysely<CanvasDatabase>;
  }

  /** Every canvas, most recently changed first. */
  async list(): Promise<CanvasSummary[]> {
    const rows = await this.db.selectFrom('canvas_documents').selectAll().orderBy('updated_at', 'desc').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, revision: r.revision, nodeCount: r.document.nodes.length, updatedAt: new Date(r.updated_at).toISOString() }));
  }

  /** One canvas with its document; 404 when there is none. */
  async get(id: string): Promise<CanvasRecord> {
    const row = await this.db.selectFrom('canvas_documents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', 'No such canvas.', 'id');
    return toRecord(row);
  }

  /** Creates a canvas (empty, or holding an imported document). */
  async create(name: string, document: CanvasDocument = emptyCanvasDocument()): Promise<CanvasRecord> {
    const row = await this.db
      .insertInto('canvas_documents')
      .values({ id: randomUUID(), name, revision: 0, document: JSON.stringify(document) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** Renames a canvas. */
  async rename(id: string, name: string): Promise<CanvasRecord> {
    const row = await this.db.updateTable('canvas_documents').set({ name, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new AppError('not_found', 'No such canvas.', 'id');
    this.hub.publish(id, { type: 'renamed', name });
    return toRecord(row);
  }

  /** Deletes a canvas; open tabs are told. */
  async remove(id: string): Promise<void> {
    const res = await this.db.deleteFrom('canvas_documents').where('id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new AppError('not_found', 'No such canvas.', 'id');
    this.hub.publish(id, { type: 'deleted' });
  }

  /** Applies operations made against `baseRevision`; 409 naming the latest revision when it is stale. */
  async applyOps(id: string, baseRevision: number, ops: CanvasOp[], clientId?: string): Promise<{ revision: number }> {
    const revision = await this.write(id, baseRevision, (doc) => {
      try {
        return applyCanvasOps(doc, ops);
      } catch (err) {
        if (err instanceof CanvasOpError) throw new AppError(OP_ERROR_CODE[err.reason], err.message, 'ops');
        throw err;
      }
    });
    this.hub.publish(id, { type: 'ops', revision, ops, clientId });
    return { revision };
  }

  /** Replaces the whole document, on the same revision rule as operations. */
  async replace(id: string, baseRevision: number, document: CanvasDocument, clientId?: string): Promise<{ revision: number }> {
    const revision = await this.write(id, baseRevision, () => document);
    this.hub.publish(id, { type: 'replaced', revision, document, clientId });
    return { revision };
  }

  private async write(id: string, baseRevision: number, change: (doc: CanvasDocument) => CanvasDocument): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('canvas_documents').select(['revision', 'document']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw new AppError('not_found', 'No such canvas.', 'id');
      if (row.revision !== baseRevision) {
        throw new AppError('conflict', `The canvas changed: it is at revision ${row.revision}, not ${baseRevision}. Reload it and apply the change again.`, 'baseRevision', {
          'x-canvas-revision': String(row.revision),
        });
      }
      const next = change(row.document);
      const revision = row.revision + 1;
      await trx.updateTable('canvas_documents').set({ document: JSON.stringify(next), revision, updated_at: new Date() }).where('id', '=', id).execute();
      return revision;
    });
  }
}
