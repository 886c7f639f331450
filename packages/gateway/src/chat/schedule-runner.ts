import type { Kysely } from 'kysely';
import type { Logger } from '../logger.ts';
import type { ChatService } from './chat-service.ts';
import { cronMatches, parseCron } from './cron.ts';
import type { KernelDatabase } from './kernel-migrations.ts';

const TICK_MS = 20_000;

const minuteOf = (d: Date) => Math.floor(d.getTime() / 60_000);

/**
 * One pass over the kernel's scheduled prompts: each one whose cron matches `now` and that has not
 * fired in this minute starts a new conversation. Answers the conversations started.
 */
export async function runDueSchedules(db: Kysely<any>, chat: ChatService, now = new Date()): Promise<string[]> {
  const k = db as Kysely<KernelDatabase>;
  const started: string[] = [];
  for (const s of await k.selectFrom('kernel_schedules').selectAll().execute()) {
    if (s.last_run_at && minuteOf(new Date(s.last_run_at)) === minuteOf(now)) continue;
    let spec;
    try {
      spec = parseCron(s.cron);
    } catch {
      continue;
    }
    if (!cronMatches(spec, now)) continue;
    await k.updateTable('kernel_schedules').set({ last_run_at: now }).where('id', '=', s.id).execute();
    started.push((await chat.send(undefined, s.prompt)).conversationId);
  }
  return started;
}

/** Runs the scheduled prompts every 20 s while the kernel is enabled; answers the function that stops. */
export function startScheduleRunner(db: Kysely<any>, chat: ChatService, logger: Logger): () => void {
  let running = false;
  const tick = async () => {
    if (running || !chat.enabled) return;
    running = true;
    try {
      await runDueSchedules(db, chat);
    } catch (err) {
      logger.error({ err }, 'scheduled prompts failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
