import { AppError } from '../errors.ts';

/**
 * Turns a file-system error into the JSON error it means for the caller. Most come from another
 * request (or a terminal, or the kernel) changing the same place at the same moment.
 */
export function asFileError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new AppError('not_found', 'The file or folder is gone (it changed while the request ran).');
    case 'EEXIST':
    case 'EISDIR':
    case 'ENOTDIR':
    case 'ENOTEMPTY':
    case 'EINVAL':
      return new AppError('conflict', 'Something else is in that place now (it changed while the request ran).');
    case 'EACCES':
    case 'EPERM':
    case 'ELOOP':
      return new AppError('forbidden', 'The gateway may not touch that file or folder.');
    case 'ENAMETOOLONG':
      return new AppError('bad_request', 'The path is too long.', 'path');
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('unavailable', 'The disk is full.');
    default:
      return err;
  }
}
