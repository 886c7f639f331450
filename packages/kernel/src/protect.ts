import { isAbsolute, relative } from 'node:path';

// Pure rules the PreToolUse hook applies: which files the kernel must never write, and which shell
// commands it must never run.

const CREDENTIAL_NAME = /^(\.?credentials?(\..*)?|secrets?\..*|.*\.(pem|key|p12))$/i;

/** Why the kernel may not write `rel` (a home-relative path), or null when it may. */
export function protectedPathReason(rel: string): string | null {
  const segments = rel.split('/').filter((s) => s !== '' && s !== '.');
  const name = segments.at(-1) ?? '';
  if (segments.some((s) => s.toLowerCase() === '.git')) return `"${rel}" is inside .git, the history of the home; it is managed by the OS.`;
  if (/^\.env/i.test(name)) return `"${rel}" is an environment file; it may hold secrets and is never written by the kernel.`;
  if (segments[0] === 'system' && segments.length > 1 && !name.endsWith('.md')) {
    return `"${rel}" is one of the OS's own system files; only markdown files (like system/soul.md) under system/ may be changed.`;
  }
  if (segments[0] === 'apps' && CREDENTIAL_NAME.test(name)) return `"${rel}" holds an app's credentials; the kernel never writes them.`;
  return null;
}

const DANGEROUS: [RegExp, string][] = [
  [/\brm\s+(-[a-z]*\s+)*-[a-z]*[rf][a-z]*\s+(-[a-z]*\s+)*(\/|~|\$HOME|\*)(\s|$)/i, 'deletes the whole disk or home'],
  [/\bmkfs(\.\w+)?\b/, 'formats a disk'],
  [/\bdd\b[^|;]*\bof=\/dev\//, 'overwrites a device'],
  [/:\(\)\s*\{\s*:\|:&\s*\};:/, 'is a fork bomb'],
  [/\b(shutdown|reboot|halt|poweroff)\b/, 'stops the machine'],
  [/\b(curl|wget)\b[^|]*\|\s*(sudo\s+)?(ba|z)?sh\b/, 'runs a script straight from the network'],
  [/\bchmod\s+(-R\s+)?[0-7]*777\s+\/(\s|$)/, 'opens the whole disk to everyone'],
  [/>\s*\/dev\/sd[a-z]/, 'overwrites a disk'],
  [/\bgit\s+push\b.*--force/, 'rewrites remote history'],
];

/** Why a shell command is refused, or null when it may run. */
export function dangerousCommandReason(command: string): string | null {
  for (const [re, why] of DANGEROUS) if (re.test(command)) return `The command was refused: it ${why}.`;
  return null;
}

/** The home-relative paths a tool call would write, from its input. Absolute paths outside the home come back as they are. */
export function pathsWrittenBy(toolName: string, input: unknown, homeDir: string): string[] {
  const i = (input ?? {}) as Record<string, unknown>;
  const short = toolName.replace(/^mcp__matrix__/, '');
  const toRel = (p: string) => (isAbsolute(p) ? relative(homeDir, p) : p);
  if (short === 'create_app' && typeof i.slug === 'string' && i.files && typeof i.files === 'object') {
    return Object.keys(i.files).map((f) => `apps/${i.slug}/${f}`);
  }
  if (['write_file', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit'].includes(short)) {
    const p = i.path ?? i.file_path ?? i.notebook_path;
    return typeof p === 'string' ? [toRel(p)] : [];
  }
  return [];
}

/** Tools that change files in the home, after which a snapshot is taken. */
export const FILE_CHANGING_TOOLS = new Set(['write_file', 'create_app', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash']);
