import { sql, type Kysely } from 'kysely';

/**
 * The public list of gifts is read in (received date, number) order, a page at a time, over the
 * whole city or a county. With only (unit, date) indexed, the whole city's month was read and
 * sorted on every page; this index hands out the confirmed gifts already in list order.
 */
export async function up(db: Kysely<any>) {
  await sql`create index donation_public_list on donation (received_on, number) where status = 'confirmed'`.execute(db);
}
