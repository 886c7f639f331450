import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_CALLS, appRequestSchema, fitsAppMessageLimit, parseAppRequest } from '../src/index.ts';

// What the shell accepts must be exactly what the schema describes: the hand-written reader exists
// only to keep Zod out of the shell's first load.
const bySchema = (data: unknown) => {
  if (!fitsAppMessageLimit(data)) return null;
  const parsed = appRequestSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
};

const anyId = fc.oneof(fc.nat(), fc.integer({ min: -5, max: -1 }), fc.constantFrom(1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2, '1'));
const anyCall = fc.oneof(fc.constantFrom(...APP_CALLS), fc.constantFrom('files.read', 'db', '', 'openapp'), fc.string());
const anyArgs = fc.oneof(fc.array(fc.jsonValue(), { maxLength: 6 }), fc.constantFrom('x', null, { 0: 'a' }));
const message = fc.record(
  { matrix: fc.constantFrom(1, 2, '1', null), id: anyId, call: anyCall, args: anyArgs, extra: fc.jsonValue() },
  { requiredKeys: [] },
);

// Mostly valid requests, so the accepting side is exercised as much as the refusing one.
const nearlyValid = fc.record({ matrix: fc.constant(1), id: fc.oneof(fc.nat(), anyId), call: fc.oneof(fc.constantFrom(...APP_CALLS), anyCall), args: fc.array(fc.jsonValue(), { maxLength: 5 }) });

describe('the shell’s app request reader', () => {
  it('accepts and refuses exactly what appRequestSchema does, and returns the same request', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyValid, message, fc.jsonValue(), fc.array(fc.jsonValue())), (data) => {
        expect(parseAppRequest(data)).toEqual(bySchema(data));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a request over the size limit, whatever its shape', () => {
    const big = { matrix: 1, id: 1, call: 'writeData', args: ['k', 'x'.repeat(1_048_576)] };
    expect(parseAppRequest(big)).toBeNull();
    expect(parseAppRequest({ matrix: 1, id: 1, call: 'writeData', args: ['k', 'v'] })).toEqual({ matrix: 1, id: 1, call: 'writeData', args: ['k', 'v'] });
  });
});
