import { sql } from 'kysely';
import type { Ctx } from '../../../platform/context.ts';
import { hasPermission } from '../../../platform/context.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { registerTodoProvider, type TodoItem } from '../../../platform/todos.ts';
import { addWorkingDays } from '../../../platform/work-calendar.ts';
import { businessSettingsIn, loadWorkCalendar } from '../../settings/server/settings.service.ts';

const label = (ctx: Ctx, zh: string, en: string) => (ctx.lang === 'en' ? en : zh);

/**
 * The donations work that waits for the caller, within their jurisdiction: disbursements to
 * approve (not their own — maker-checker), gifts recorded but not yet confirmed, and confirmed
 * gifts past the disclosure deadline (working days of the calendar) with no published report.
 */
export async function donationTodos(ctx: Ctx): Promise<TodoItem[]> {
  if (!hasPermission(ctx.actor, 'donations.read')) return [];
  return ctx.run(async (trx) => {
    const items: TodoItem[] = [];
    if (hasPermission(ctx.actor, 'donations.approve')) {
      const r = await trx
        .selectFrom('disbursement')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('status', '=', 'submitted')
        .where('maker_id', '<>', ctx.actor.userId ?? '00000000-0000-0000-0000-000000000000')
        .executeTakeFirstOrThrow();
      items.push({ key: 'donations.approve', domain: 'donations', count: r.n, label: label(ctx, `${r.n} 笔拨付待您审批`, `${r.n} disbursement(s) await your approval`), path: '/donations/disbursements', severity: 'normal' });
    }
    if (hasPermission(ctx.actor, 'donations.write')) {
      const r = await trx.selectFrom('donation').select(sql<number>`count(*)::int`.as('n')).where('status', '=', 'draft').executeTakeFirstOrThrow();
      items.push({ key: 'donations.confirm', domain: 'donations', count: r.n, label: label(ctx, `${r.n} 笔捐赠待确认入账（须有票据号或不开票记录）`, `${r.n} donation(s) to confirm (receipt number or waiver)`), path: '/donations?status=draft', severity: 'normal' });
      // Oldest first: the overdue ones are among them.
      const pending = await sql<{ received_on: string }>`
        select d.received_on from donation d
        where d.status = 'confirmed'
          and not exists (select 1 from disclosed_donation x join disclosure_report r on r.id = x.report_id where x.donation_id = d.id and r.status = 'published')
        order by d.received_on limit 5000`.execute(trx);
      if (pending.rows.length > 0) {
        const today = shanghaiDate(ctx.deps.clock.now());
        const settings = await businessSettingsIn(trx);
        const calendar = await loadWorkCalendar(trx, pending.rows[0]!.received_on, today);
        const overdue = pending.rows.filter((p) => addWorkingDays(calendar, p.received_on, settings.disclosureWorkingDays) < today).length;
        items.push({
          key: 'donations.disclosure_overdue',
          domain: 'donations',
          count: overdue,
          label: label(ctx, `${overdue} 笔捐赠超过 ${settings.disclosureWorkingDays} 个工作日未公示`, `${overdue} gift(s) unpublished after ${settings.disclosureWorkingDays} working days`),
          path: '/donations/disclosures',
          severity: 'urgent',
        });
      }
    }
    return items;
  });
}

export function registerDonationTodos() {
  registerTodoProvider('donations', donationTodos);
}
