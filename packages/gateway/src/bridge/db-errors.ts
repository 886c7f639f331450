import { AppError } from '../errors.ts';

/** Maps a database error a client can cause to a 4xx; anything else stays an internal error. */
export function mapDbError(err: unknown): unknown {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case '57014':
      return new AppError('timeout', 'The query took too long and was cancelled.');
    case '23505':
      return new AppError('conflict', 'A row with that id already exists.');
    case '22003':
      return new AppError('validation', 'A value is out of range for its column.');
    case '22P02':
    case '22007':
    case '22008':
      return new AppError('validation', 'A value does not fit its column type.');
    case '2201B':
      return new AppError('validation', 'A pattern is not valid.');
    default:
      return err;
  }
}
