'use client';

/** `__terminal__`: the terminal view, when this build of the shell includes it. */
export function TerminalWindow() {
  return <div className="empty-state">The terminal is not part of this build of the shell yet.</div>;
}
