import { z } from 'zod/v4';

/** A file or folder as the file routes report it; `path` is relative to the home. */
export interface FileInfo {
  name: string;
  path: string;
  type: 'file' | 'dir';
  size: number;
  modified: string;
  etag: string;
}

/** One deleted file or folder waiting in the trash, as its `info.json` records it. */
export const trashItemSchema = z.object({
  id: z.string().max(64),
  name: z.string().min(1).max(1024),
  /** Where it was, relative to the home. */
  path: z.string().min(1).max(4096),
  type: z.enum(['file', 'dir']),
  deletedAt: z.string().max(64),
});
export type TrashItem = z.infer<typeof trashItemSchema>;

/** `GET /api/files/trash`: the items, newest first, and the ids of items whose record cannot be read. */
export interface TrashListing {
  items: TrashItem[];
  /** Purge them, or restore them with a destination: where they came from is unknown. */
  unreadable: string[];
}
