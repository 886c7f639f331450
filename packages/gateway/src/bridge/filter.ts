import { BRIDGE_LIMITS, type ColumnType } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import { checkValue } from './values.ts';

export type CompareOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'like' | 'ilike';

/** A validated filter tree: columns exist, values have the column's type. */
export type FilterNode =
  | { kind: 'and'; children: FilterNode[] }
  | { kind: 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  | { kind: 'cmp'; column: string; op: CompareOp; value: unknown }
  | { kind: 'in'; column: string; negate: boolean; values: unknown[] }
  | { kind: 'null'; column: string; isNull: boolean };

const COMPARE_OPS: Record<string, CompareOp> = {
  $eq: 'eq', $ne: 'ne', $lt: 'lt', $lte: 'lte', $gt: 'gt', $gte: 'gte', $like: 'like', $ilike: 'ilike',
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const invalid = (field: string, message: string) => new AppError('validation', `${field}: ${message}`, field);

/**
 * Parses a bridge `where` object against the table's columns. Identifiers must be declared
 * columns; values must match the column's type; the tree is bounded in depth and size.
 */
export function parseWhere(where: unknown, columns: Record<string, ColumnType>): FilterNode {
  let nodes = 0;
  const count = (field: string) => {
    if (++nodes > BRIDGE_LIMITS.maxFilterNodes) throw invalid(field, `filter has more than ${BRIDGE_LIMITS.maxFilterNodes} conditions`);
  };

  const parseGroup = (value: unknown, field: string, depth: number): FilterNode[] => {
    if (!Array.isArray(value) || value.length === 0) throw invalid(field, 'expected a non-empty array of filters');
    return value.map((v, i) => parseObject(v, `${field}.${i}`, depth + 1));
  };

  const parseObject = (value: unknown, field: string, depth: number): FilterNode => {
    if (depth > BRIDGE_LIMITS.maxFilterDepth) throw invalid(field, `filter is nested deeper than ${BRIDGE_LIMITS.maxFilterDepth}`);
    if (!isPlainObject(value)) throw invalid(field, 'expected an object');
    const children: FilterNode[] = [];
    for (const [key, v] of Object.entries(value)) {
      const f = `${field}.${key}`;
      count(f);
      if (key === '$and') children.push({ kind: 'and', children: parseGroup(v, f, depth) });
      else if (key === '$or') children.push({ kind: 'or', children: parseGroup(v, f, depth) });
      else if (key === '$not') children.push({ kind: 'not', child: parseObject(v, f, depth + 1) });
      else if (key.startsWith('$')) throw invalid(f, 'unknown operator');
      else children.push(parseColumn(key, v, f));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  };

  const parseColumn = (column: string, cond: unknown, field: string): FilterNode => {
    const type = Object.hasOwn(columns, column) ? columns[column] : undefined;
    if (!type) throw invalid(field, 'unknown column');
    if (!isPlainObject(cond)) return operator(column, type, '$eq', cond, field);
    const ops = Object.entries(cond);
    if (ops.length === 0) throw invalid(field, 'expected at least one operator');
    const parts = ops.map(([op, v]) => {
      count(`${field}.${op}`);
      return operator(column, type, op, v, `${field}.${op}`);
    });
    return parts.length === 1 ? parts[0]! : { kind: 'and', children: parts };
  };

  const operator = (column: string, type: ColumnType, op: string, value: unknown, field: string): FilterNode => {
    if (op === '$null') {
      if (typeof value !== 'boolean') throw invalid(field, 'expected true or false');
      return { kind: 'null', column, isNull: value };
    }
    if (type === 'json') throw invalid(field, 'json columns can only be filtered with $null');
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(value)) throw invalid(field, 'expected an array');
      if (value.length > BRIDGE_LIMITS.maxInList) throw invalid(field, `at most ${BRIDGE_LIMITS.maxInList} values`);
      const values = value.map((v, i) => {
        if (v === null) throw invalid(`${field}.${i}`, 'null is not allowed here; use $null');
        return checkValue(type, v, `${field}.${i}`);
      });
      return { kind: 'in', column, negate: op === '$nin', values };
    }
    const cmp = COMPARE_OPS[op];
    if (!cmp) throw invalid(field, 'unknown operator');
    if (value === null) {
      if (cmp === 'eq' || cmp === 'ne') return { kind: 'null', column, isNull: cmp === 'eq' };
      throw invalid(field, 'null can only be compared with $eq, $ne or $null');
    }
    if (cmp === 'like' || cmp === 'ilike') {
      if (type !== 'text') throw invalid(field, `${op} works on text columns only`);
      // PostgreSQL refuses a pattern ending in its escape character.
      if (typeof value === 'string' && /(^|[^\\])(\\\\)*\\$/.test(value)) throw invalid(field, 'pattern must not end with a lone backslash');
    }
    if (typeof value === 'string' && value.length > BRIDGE_LIMITS.maxStringValue) {
      throw invalid(field, `longer than ${BRIDGE_LIMITS.maxStringValue} characters`);
    }
    return { kind: 'cmp', column, op: cmp, value: checkValue(type, value, field) };
  };

  return parseObject(where, 'where', 1);
}
