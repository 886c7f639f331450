import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { ChatConversation, ChatMessage } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import type { KernelDatabase } from './kernel-migrations.ts';

type Row = KernelDatabase['kernel_conversations'];
const toConversation = (r: any, running: boolean): ChatConversation => ({
  id: r.id,
  title: r.title,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  running,
  costUsd: Number(r.cost_usd),
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
});

/** Conversations and their messages in the user's database. */
export class ConversationStore {
  private readonly db: Kysely<KernelDatabase>;

  constructor(db: Kysely<any>) {
    this.db = db as Kysely<KernelDatabase>;
  }

  /** Starts a conversation titled after its first message. */
  async create(firstMessage: string): Promise<string> {
    const id = randomUUID();
    const title = firstMessage.replace(/\s+/g, ' ').trim().slice(0, 80);
    await this.db.insertInto('kernel_conversations').values({ id, title, session_id: null }).execute();
    return id;
  }

  /** The conversation's row; 404 when there is none. */
  async get(id: string): Promise<Pick<Row, 'id' | 'session_id'> & Record<string, unknown>> {
    const row = await this.db.selectFrom('kernel_conversations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', 'No such conversation.', 'id');
    return row;
  }

  async summary(id: string, running: boolean): Promise<ChatConversation> {
    return toConversation(await this.get(id), running);
  }

  /** Newest first; `q` matches the title or any message (case-insensitive). */
  async list(q: string | undefined, limit: number, running: (id: string) => boolean): Promise<ChatConversation[]> {
    let query = this.db.selectFrom('kernel_conversations').selectAll();
    if (q) {
      const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('title', 'ilike', pattern),
          eb.exists(eb.selectFrom('kernel_messages as m').select('m.id').whereRef('m.conversation_id', '=', 'kernel_conversations.id').where('m.content', 'ilike', pattern)),
        ]),
      );
    }
    const rows = await query.orderBy('updated_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map((r) => toConversation(r, running(r.id)));
  }

  async messages(id: string): Promise<ChatMessage[]> {
    const rows = await this.db.selectFrom('kernel_messages').selectAll().where('conversation_id', '=', id).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, role: r.role, content: r.content, tools: (r.tools ?? []) as ChatMessage['tools'], createdAt: new Date(r.created_at).toISOString() }));
  }

  async addMessage(conversationId: string, role: ChatMessage['role'], content: string, tools: ChatMessage['tools'] = []): Promise<void> {
    // clock_timestamp() keeps messages of one turn in the order they were written.
    await this.db
      .insertInto('kernel_messages')
      .values({ id: randomUUID(), conversation_id: conversationId, role, content, tools: JSON.stringify(tools), created_at: sql<Date>`clock_timestamp()` })
      .execute();
    await this.db.updateTable('kernel_conversations').set({ updated_at: sql<Date>`clock_timestamp()` }).where('id', '=', conversationId).execute();
  }

  /** Records the SDK session the next turn resumes. */
  async setSession(id: string, sessionId: string): Promise<void> {
    await this.db.updateTable('kernel_conversations').set({ session_id: sessionId }).where('id', '=', id).execute();
  }

  async addUsage(id: string, costUsd: number, inputTokens: number, outputTokens: number): Promise<void> {
    await this.db
      .updateTable('kernel_conversations')
      .set((eb) => ({
        cost_usd: eb('cost_usd', '+', costUsd),
        input_tokens: eb('input_tokens', '+', inputTokens) as never,
        output_tokens: eb('output_tokens', '+', outputTokens) as never,
      }))
      .where('id', '=', id)
      .execute();
  }

  /** Deletes a conversation and its messages; 404 when there is none. */
  async remove(id: string): Promise<void> {
    const r = await this.db.deleteFrom('kernel_conversations').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new AppError('not_found', 'No such conversation.', 'id');
  }
}
