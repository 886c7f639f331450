import type { HookCallbackMatcher, HookEvent, HookJSONOutput } from '@anthropic-ai/claude-agent-sdk';
import type { KernelHost } from './host.ts';
import { dangerousCommandReason, FILE_CHANGING_TOOLS, pathsWrittenBy, protectedPathReason } from './protect.ts';

const deny = (reason: string): HookJSONOutput => ({
  hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
});

/** Why a tool call is refused before it runs, or null. Pure. */
export function refusalOf(toolName: string, input: unknown, homeDir: string): string | null {
  for (const rel of pathsWrittenBy(toolName, input, homeDir)) {
    if (rel.startsWith('..') || rel.startsWith('/')) return `"${rel}" is outside the home; the kernel only writes inside it.`;
    const reason = protectedPathReason(rel);
    if (reason) return reason;
  }
  const command = (input as { command?: unknown } | null)?.command;
  if (typeof command === 'string') return dangerousCommandReason(command);
  return null;
}

// Hooks run only on tools that write or run commands: each hook call is a round trip to the CLI,
// and reads need no guard.
const GUARDED_TOOLS = 'mcp__matrix__(write_file|create_app)|Write|Edit|MultiEdit|NotebookEdit|Bash';

/**
 * The kernel's hooks: PreToolUse refuses writes to protected files and dangerous commands;
 * PostToolUse snapshots the home after a file change; Stop hands the session id to `onStop` so the
 * conversation can be resumed even if the turn's result is lost.
 */
export function createKernelHooks(host: KernelHost, onStop: (sessionId: string) => Promise<void>): Partial<Record<HookEvent, HookCallbackMatcher[]>> {
  return {
    PreToolUse: [
      {
        matcher: GUARDED_TOOLS,
        hooks: [
          async (input) => {
            if (input.hook_event_name !== 'PreToolUse') return {};
            const reason = refusalOf(input.tool_name, input.tool_input, host.homeDir);
            return reason ? deny(reason) : {};
          },
        ],
      },
    ],
    PostToolUse: [
      {
        matcher: GUARDED_TOOLS,
        hooks: [
          async (input) => {
            if (input.hook_event_name !== 'PostToolUse') return {};
            const short = input.tool_name.replace(/^mcp__matrix__/, '');
            if (!FILE_CHANGING_TOOLS.has(short)) return {};
            const paths = pathsWrittenBy(input.tool_name, input.tool_input, host.homeDir);
            const what = paths.length === 1 ? paths[0] : (input.tool_input as { slug?: string } | null)?.slug ?? `${paths.length} files`;
            await host.snapshot(`kernel: ${short} ${what ?? ''}`.trim());
            return {};
          },
        ],
      },
    ],
    Stop: [
      {
        hooks: [
          async (input) => {
            await onStop(input.session_id);
            return {};
          },
        ],
      },
    ],
  };
}
