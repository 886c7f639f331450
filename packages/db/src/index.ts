export { createDb, type CreateDbOptions, type DbKind, type MatrixDb } from './create-db.ts';
export { acquireFolderLock, FolderLockedError, type FolderLock } from './folder-lock.ts';
export { runMigrations, type Migration } from './migrate.ts';
