import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hono, type Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { SESSION_COOKIE } from '../auth/owner-auth.ts';
import type { CodeEditor } from '../code-editor/code-editor.ts';
import { INSTALL_COMMAND } from '../code-editor/find-code-server.ts';
import { AppError } from '../errors.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { ownerOf, ownerOfHeaders, requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { addPolicy, proxyHttp, proxyUpgrade, refuseUpgrade, type ProxyLimits, type ProxyTarget } from '../proxy/reverse-proxy.ts';

export interface CodeRouteDeps extends AuthDeps {
  editor: CodeEditor;
  limits: ProxyLimits;
}

const PREFIX = '/code';
const NOT_INSTALLED = `The code editor (code-server) is not installed on this machine. Run ${INSTALL_COMMAND} in the Matrix OS folder, then reload this page.`;

/** Every cookie but the owner's session: code-server keeps its own state in cookies, the owner's credential stays here. */
function withoutSession(header: string | undefined): string | undefined {
  const kept = (header ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith(`${SESSION_COOKIE}=`));
  return kept.length ? kept.join('; ') : undefined;
}

function codeTarget(port: number, path: string, limits: ProxyLimits): ProxyTarget {
  return {
    port,
    path,
    prefix: PREFIX,
    name: 'The code editor',
    cookies: withoutSession,
    // The editor runs with the owner's rights: only the machine's own pages may frame it.
    answerHeaders: (headers) => addPolicy(headers, "frame-ancestors 'self'"),
    ...limits,
  };
}

function isNavigation(c: Context): boolean {
  return c.req.header('sec-fetch-mode') === 'navigate' || (c.req.header('accept') ?? '').includes('text/html');
}

/** The page a browser gets at /code/ when code-server is missing: what to run, and a way back. */
function notInstalledPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Code editor not installed · Matrix OS</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1.5rem;color:#1d1d1f}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}code{background:#2a2a2a}}
code{background:#f2f2f2;padding:.1em .35em;border-radius:4px}a{color:#3b6fd8}</style></head>
<body><h1>The code editor is not installed</h1>
<p>Matrix OS uses code-server as this machine's code editor, and it is not installed here yet.</p>
<p>On the machine, in the Matrix OS folder, run <code>${INSTALL_COMMAND}</code> (about three minutes), then reload this page.
Everything else keeps working without it.</p>
<p><a href="/">Back to Matrix OS</a></p></body></html>`;
}

/** `/code/…`: the machine's code editor behind the owner's sign-in, and `GET /api/code/status`. */
export function createCodeRoutes(deps: CodeRouteDeps) {
  const { editor, limits } = deps;
  return new Hono<GatewayEnv>()
    .get('/api/code/status', requireOwner(deps), (c) => c.json(editor.status()))
    .all(PREFIX, (c) => c.redirect(`${PREFIX}/${new URL(c.req.url).search}`, 308))
    .all(`${PREFIX}/*`, async (c) => {
      if (!(await ownerOf(deps, c))) {
        // A person who opens the editor signed out signs in on the shell, which sends them back.
        if (isNavigation(c)) return c.redirect(`/?next=${encodeURIComponent(`${PREFIX}/`)}`, 302);
        throw new AppError('unauthorized', 'Sign in first.');
      }
      if (!editor.status().installed) {
        if (isNavigation(c)) return c.html(notInstalledPage(), 503);
        throw new AppError('unavailable', NOT_INSTALLED);
      }
      const port = await editor.ensureRunning().catch((err: Error) => {
        throw new AppError('unavailable', `The code editor could not start: ${err.message}. Its log is home/system/logs/code-server.log.`);
      });
      editor.touch();
      const url = new URL(c.req.url);
      const { incoming, outgoing } = c.env as unknown as HttpBindings;
      await proxyHttp(incoming, outgoing, codeTarget(port, url.pathname.slice(PREFIX.length) + url.search, limits));
      return RESPONSE_ALREADY_SENT;
    });
}

/** WebSocket upgrades under `/code/` (their origin already checked, as every upgrade's is): owner only, then piped to code-server. */
export function createCodeUpgradeHandler(deps: CodeRouteDeps) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    void (async () => {
      if (!(await ownerOfHeaders(deps, req.headers))) return refuseUpgrade(socket, 401);
      const port = await deps.editor.ensureRunning().catch(() => null);
      if (port === null) return refuseUpgrade(socket, 503);
      deps.editor.trackSocket(1);
      proxyUpgrade(req, socket, head, codeTarget(port, (req.url ?? '/').slice(PREFIX.length) || '/', deps.limits), () => deps.editor.trackSocket(-1));
    })().catch(() => socket.destroy());
  };
}
