import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { FilterNode } from './filter.ts';

const SQL_OPS = { eq: '=', ne: 'is distinct from', lt: '<', lte: '<=', gt: '>', gte: '>=', like: 'like', ilike: 'ilike' } as const;

/**
 * Turns a validated filter tree into a Kysely expression. Column names reach SQL only as
 * quoted identifiers (already checked against the schema); every value is a bound parameter.
 */
export function compileFilter(eb: ExpressionBuilder<any, any>, node: FilterNode): Expression<SqlBool> {
  switch (node.kind) {
    case 'and':
      return eb.and(node.children.map((c) => compileFilter(eb, c)));
    case 'or':
      return eb.or(node.children.map((c) => compileFilter(eb, c)));
    case 'not':
      return eb.not(compileFilter(eb, node.child));
    case 'null':
      return eb(eb.ref(node.column), node.isNull ? 'is' : 'is not', null);
    case 'in':
      if (node.values.length === 0) return node.negate ? sql<SqlBool>`true` : sql<SqlBool>`false`;
      return eb(eb.ref(node.column), node.negate ? 'not in' : 'in', node.values);
    case 'cmp':
      return eb(eb.ref(node.column), SQL_OPS[node.op], node.value);
  }
}
