/**
 * Splits the raw, still percent-encoded rest of a URL path (`a/b%20c.txt`) into its segments,
 * decoding each once and dropping empty ones; null when a segment's percent-encoding is malformed.
 * What a segment may hold is the caller's rule (the home's files and an app's output differ).
 */
export function decodeUrlSegments(raw: string): string[] | null {
  const out: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '') continue;
    try {
      out.push(decodeURIComponent(part));
    } catch {
      return null;
    }
  }
  return out;
}
