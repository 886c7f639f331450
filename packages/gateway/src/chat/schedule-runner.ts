import type { Kysely } from 'kysely';
import type { Logger } from '../logger.ts';
import type { ChatService } from './chat-service.ts';
import { cronMatches, parseCron } from './cron.ts';
import type { KernelDatabase } from './kernel-migrations.ts';

const TICK_MS = 20_000;

const minuteOf = (d: Date) => Math.floor(d.getTime() / 60_000);

/** Runs the kernel's scheduled prompts: each fires at most once in a matching minute, as a new conversation. */
export function startScheduleRunner(db: Kysely<any>, chat: ChatService, logger: Logger): () => void {
  const k = db as Kysely<KernelDatabase>;
  let running = false;
  const tick = async () => {
    if (running || !chat.enabled) return;
    running = true;
    try {
      const now = new Date();
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
        await chat.send(undefined, s.prompt);
      }
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
