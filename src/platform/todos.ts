import type { Ctx } from './context.ts';
import type { TodoItem } from './contract-kit.ts';

export { todoList, type TodoItem } from './contract-kit.ts';

/**
 * 待办 (the home page's to-do list): each domain reports what waits for the signed-in user —
 * approvals, confirmations, overdue deadlines — counted under the user's own jurisdiction and
 * permissions. A domain registers one provider; the shell asks them all.
 */
export type TodoProvider = (ctx: Ctx) => Promise<TodoItem[]>;

const providers = new Map<string, TodoProvider>();

export function registerTodoProvider(domain: string, provider: TodoProvider) {
  providers.set(domain, provider);
}

/** Every domain's to-dos for the caller; a provider that fails is logged and skipped, never the whole list. */
export async function todosFor(ctx: Ctx): Promise<TodoItem[]> {
  const out: TodoItem[] = [];
  for (const [domain, provider] of providers) {
    try {
      out.push(...(await provider(ctx)).filter((i) => i.count > 0));
    } catch (err) {
      ctx.deps.log.error({ err, domain }, 'todo provider failed');
    }
  }
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'urgent' ? -1 : 1));
}
