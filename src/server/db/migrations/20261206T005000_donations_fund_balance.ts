import { sql, type Kysely } from 'kysely';

/**
 * A fund's balance kept on its row. Until now every posting (and the commit-time check under it)
 * summed the fund's whole journal history, so writes slowed down as a busy fund grew. The journal
 * stays the record: an insert trigger adds each line to its fund's balance in the same transaction
 * (rolled back with it), nothing else may change the balance (a direct UPDATE is refused), and the
 * disclosure gate compares every stored balance with the sum of its journal.
 */
export async function up(db: Kysely<any>) {
  await sql`alter table fund add column balance_fen bigint not null default 0`.execute(db);
  await sql`update fund f set balance_fen = coalesce((select sum(l.amount_fen) from journal_line l where l.fund_id = f.id), 0)`.execute(db);

  // Only the journal moves a balance: the app role keeps UPDATE on fund to take the posting lock
  // (select … for update), and this trigger refuses a balance change that does not come from a
  // journal line (a trigger fired by the journal trigger runs at depth 2).
  await sql`create function fund_balance_guard() returns trigger language plpgsql as $$
    begin
      if new.balance_fen is distinct from old.balance_fen and pg_trigger_depth() < 2 then
        raise exception 'fund % balance changes only through the journal', old.id using errcode = '42501';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger fund_balance_guard before update on fund for each row execute function fund_balance_guard()`.execute(db);

  await sql`create function journal_line_apply() returns trigger language plpgsql security definer set search_path = public as $$
    begin
      update fund set balance_fen = balance_fen + new.amount_fen where id = new.fund_id;
      return null;
    end $$`.execute(db);
  await sql`create trigger journal_line_apply after insert on journal_line for each row execute function journal_line_apply()`.execute(db);

  // The commit-time net reads the kept balance instead of summing the history.
  await sql`create or replace function journal_check() returns trigger language plpgsql security definer set search_path = public as $$
    declare total bigint; lines int; f record;
    begin
      select coalesce(sum(amount_fen), 0), count(*) into total, lines from journal_line where entry_id = new.entry_id;
      if total <> 0 or lines < 2 then
        raise exception 'journal entry % does not balance (sum %, % lines)', new.entry_id, total, lines using errcode = '23514';
      end if;
      select kind, balance_fen into f from fund where id = new.fund_id;
      if (f.kind in ('bank','cash') and f.balance_fen < 0) or (f.kind not in ('bank','cash') and f.balance_fen > 0) then
        raise exception 'fund % would go below zero', new.fund_id using errcode = '23514';
      end if;
      return null;
    end $$`.execute(db);
}
