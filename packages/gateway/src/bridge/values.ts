import { findUnstorableText, isStorableText, UNSTORABLE_TEXT_MESSAGE, type ColumnType } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const INT32 = 2 ** 31;

const invalid = (field: string, message: string) => new AppError('validation', `${field}: ${message}`, field);

/**
 * Checks that a value fits a column type and returns what is bound as the SQL parameter.
 * Everything the database could reject is caught here, so bad input is a 400, never a 500.
 */
export function checkValue(type: ColumnType, value: unknown, field: string): unknown {
  switch (type) {
    case 'text':
      if (typeof value !== 'string') throw invalid(field, 'expected a string');
      if (!isStorableText(value)) throw invalid(field, UNSTORABLE_TEXT_MESSAGE);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -INT32 || value >= INT32) {
        throw invalid(field, 'expected a 32-bit integer');
      }
      return value;
    case 'bigint':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(field, 'expected a safe integer');
      return value;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'expected a finite number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(field, 'expected true or false');
      return value;
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
        throw invalid(field, 'expected a date as YYYY-MM-DD');
      }
      return value;
    case 'timestamptz': {
      if (typeof value !== 'string' || !TIMESTAMP.test(value)) throw invalid(field, 'expected an ISO 8601 timestamp');
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw invalid(field, 'expected an ISO 8601 timestamp');
      return new Date(ms).toISOString();
    }
    case 'uuid':
      if (typeof value !== 'string' || !UUID.test(value)) throw invalid(field, 'expected a uuid');
      return value.toLowerCase();
    case 'json': {
      const text = JSON.stringify(value);
      if (text === undefined) throw invalid(field, 'expected a JSON value');
      if (findUnstorableText(value)) throw invalid(field, UNSTORABLE_TEXT_MESSAGE);
      return text;
    }
  }
}
