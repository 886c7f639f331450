/** Where the kernel's model is, and whether there is one. */
export interface KernelSettings {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  maxTurns: number;
  /** The CLI's retries of a failed model request (its default is 10, with back-off). */
  maxRetries?: number;
}

export const DEFAULT_MODEL = 'claude-sonnet-4-5';

/** What a user does to turn the kernel on; the chat shows this when it is off. */
export const ENABLE_KERNEL_MESSAGE =
  'The AI kernel is off because no model is configured. To enable it, set ANTHROPIC_API_KEY=<your Anthropic API key> in the gateway\'s environment (on a Matrix machine add it to /opt/matrix/env/host.env; locally run "ANTHROPIC_API_KEY=... npm start"), then restart the gateway. Everything else works without it.';

/**
 * The environment of the SDK's CLI process. It replaces process.env entirely, so only what the
 * CLI needs is passed: no DATABASE_URL, no owner secrets. `stateDir` is its HOME (sessions live
 * under it) and TMPDIR.
 */
export function kernelProcessEnv(settings: KernelSettings, stateDir: string, parent: Record<string, string | undefined> = process.env): Record<string, string> {
  const env: Record<string, string> = {
    PATH: parent.PATH ?? '/usr/bin:/bin',
    HOME: stateDir,
    TMPDIR: stateDir,
    LANG: parent.LANG ?? 'C.UTF-8',
    // No telemetry or other outside calls: the machine talks only to the model.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // The CLI otherwise hides MCP tools behind a search tool.
    ENABLE_TOOL_SEARCH: 'false',
    ANTHROPIC_API_KEY: settings.apiKey ?? 'not-needed-for-this-endpoint',
  };
  if (settings.baseUrl) env.ANTHROPIC_BASE_URL = settings.baseUrl;
  if (settings.maxRetries !== undefined) env.CLAUDE_CODE_MAX_RETRIES = String(settings.maxRetries);
  if (parent.IS_SANDBOX) env.IS_SANDBOX = parent.IS_SANDBOX;
  return env;
}
