/**
 * What a viewer that attaches fresh receives before the live stream: a terminal reset, then the
 * scrollback as tmux holds it, then enough line feeds to scroll all of it off the screen (into
 * the viewer's own scrollback); tmux then redraws the visible screen over the blank one.
 */
export function snapshotBytes(history: string, rows: number): Buffer {
  const lines = history.length ? history.replace(/\n$/, '').split('\n') : [];
  const body = lines.length ? `${lines.join('\r\n')}\r\n${'\r\n'.repeat(Math.max(0, rows - 1))}` : '';
  return Buffer.from(`\x1bc${body}`);
}
