import { join } from 'node:path';
import type { GatewayConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { AppLogs } from '../runtime/app-log.ts';
import { processRecordDir } from '../runtime/process-records.ts';
import { terminalEnv } from '../terminal/shell-env.ts';
import { CodeEditor } from './code-editor.ts';
import { findCodeServer, INSTALL_COMMAND } from './find-code-server.ts';

/** Finds code-server in the runtime folder; the editor starts on its first request, not here. */
export async function startCodeEditor(config: GatewayConfig, logger: Logger): Promise<CodeEditor> {
  const install = await findCodeServer(config.codeEditor.runtimeDir);
  if (install) logger.info({ version: install.version }, 'code editor available at /code/');
  else logger.info({ runtimeDir: config.codeEditor.runtimeDir }, `code editor not installed; /code/ explains how (${INSTALL_COMMAND})`);
  // home/system/logs/code-server.log, beside the apps' logs.
  const logs = new AppLogs(join(config.homeDir, 'system', 'logs'));
  return new CodeEditor({
    install,
    homeDir: config.homeDir,
    stateDir: join(config.dataDir, 'code-server'),
    recordDir: processRecordDir(config.dataDir),
    env: terminalEnv(process.env, config.homeDir),
    log: (line) => void logs.append('code-server', line),
    idleMs: config.codeEditor.idleMs,
  });
}
