import type { ColumnType, Generated } from 'kysely';
import type { CanvasDocument } from '@matrix-os/protocol';

/** The canvas tables (see canvas-migrations.ts). */
export interface CanvasDatabase {
  canvas_documents: {
    id: string;
    name: string;
    revision: number;
    document: ColumnType<CanvasDocument, string, string>;
    created_at: Generated<Date>;
    updated_at: ColumnType<Date, Date | undefined, Date>;
  };
}
