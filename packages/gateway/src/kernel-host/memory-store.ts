import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Memory } from '@matrix-os/kernel';
import type { KernelDatabase } from '../chat/kernel-migrations.ts';

const toMemory = (r: { id: string; text: string; tags: unknown; created_at: Date }): Memory => ({
  id: r.id,
  text: r.text,
  tags: (r.tags as string[]) ?? [],
  createdAt: new Date(r.created_at).toISOString(),
});

/** Facts the kernel remembers, in the user's database. */
export function createMemoryStore(db: Kysely<any>) {
  const k = db as Kysely<KernelDatabase>;
  return {
    async remember(text: string, tags: string[]): Promise<Memory> {
      const row = await k.insertInto('kernel_memories').values({ id: randomUUID(), text, tags: JSON.stringify(tags) }).returningAll().executeTakeFirstOrThrow();
      return toMemory(row);
    },
    /** Memories whose text contains every word of `query`, newest first. */
    async recall(query: string, limit: number): Promise<Memory[]> {
      const words = query.split(/\s+/).filter(Boolean).slice(0, 10);
      let q = k.selectFrom('kernel_memories').selectAll();
      for (const w of words) q = q.where('text', 'ilike', `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      return (await q.orderBy('created_at', 'desc').limit(limit).execute()).map(toMemory);
    },
  };
}
