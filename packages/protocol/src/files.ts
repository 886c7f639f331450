/** A file or folder as the file routes report it; `path` is relative to the home. */
export interface FileInfo {
  name: string;
  path: string;
  type: 'file' | 'dir';
  size: number;
  modified: string;
  etag: string;
}

/** One deleted file or folder waiting in the trash. */
export interface TrashItem {
  id: string;
  name: string;
  /** Where it was, relative to the home. */
  path: string;
  type: 'file' | 'dir';
  deletedAt: string;
}
