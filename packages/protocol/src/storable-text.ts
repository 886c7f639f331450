/*
 * Text PostgreSQL can store. A `text` or `jsonb` value refuses NUL (U+0000), and a UTF-16 surrogate
 * without its pair is not a character at all (jsonb refuses its `\uD800` escape; a text column would
 * silently store U+FFFD instead). Owner input is checked against this once, where JSON bodies are
 * read, so such a value is a clear 400 on every route instead of a database error.
 */

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The message every route answers for such a value. */
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

/** True when `s` holds no NUL and no unpaired surrogate. */
export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

interface Step {
  value: unknown;
  key: string | number | null;
  parent: Step | null;
}

function pathOf(step: Step, last?: string): (string | number)[] {
  const path: (string | number)[] = last === undefined ? [] : [last];
  for (let s: Step | null = step; s && s.key !== null; s = s.parent) path.unshift(s.key);
  return path;
}

/**
 * The path (keys and indexes) of the first string or object key in a JSON value that is not
 * storable text, or null when every one is. Walks without recursion, so a deeply nested body
 * cannot overflow the stack, and builds a path only for the value it reports.
 */
export function findUnstorableText(value: unknown): (string | number)[] | null {
  const stack: Step[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const step = stack.pop()!;
    const v = step.value;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return pathOf(step);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: step });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (const [k] of entries) if (!isStorableText(k)) return pathOf(step, k);
      // Pushed last to first, so fields are checked (and reported) in their order.
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: step });
    }
  }
  return null;
}
