import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { commitParty } from '../../ledger/server/ledger.append.ts';
import { createPerson, erasePerson } from '../../people/server/people.service.ts';
import { registerDonationErasure } from './donations.erasure.ts';
import * as svc from './donations.service.ts';

describeDb('erasing a donor who is a person', (h) => {
  let staff: TestUser;
  let officer: TestUser;
  beforeAll(async () => {
    registerDonationErasure();
    staff = await h().createUser({ username: 'era.staff', unit: '330825', roles: ['staff'] });
    officer = await h().createUser({ username: 'era.officer', unit: '330800', roles: ['data_officer'] });
  });

  it('drops the salt behind the ledger commitment: the entry stays, nobody can link it to the person again', async () => {
    const person = await createPerson(staff.ctx, { name: '赵捐赠', idType: 'passport', idNumber: 'E55667788' });
    const donor = await svc.createDonor(staff.ctx, { kind: 'person', personId: person.id, publicConsent: false });
    const d = await svc.createDonation(staff.ctx, { donorId: donor.id, receivedOn: '2026-05-10', channel: 'wechat_pay', amountFen: 20_000, designation: 'unrestricted', receiptNo: 'LY-E-1' });
    await svc.confirmDonation(staff.ctx, d.id, { version: d.version });
    const salt = async () => (await sql<{ salt: Uint8Array }>`select salt from ledger_party_salt where party_type = 'donor' and party_id = ${donor.id}`.execute(h().deps.db)).rows[0]?.salt;
    const entry = async () => {
      const r = await sql<{ entry: Uint8Array }>`select e.entry from log_entry e join log_link l on l.idx = e.idx where l.ref_type = 'donation' and l.ref_id = ${d.id}`.execute(h().deps.db);
      return JSON.parse(Buffer.from(r.rows[0]!.entry).toString('utf8')) as { party?: string };
    };
    const before = await entry();
    const s = await salt();
    expect(s).toBeDefined();
    // With the salt the commitment is the donor's; the entry names no one.
    expect(before.party).toBe(commitParty(new Uint8Array(s!), donor.id));
    expect(JSON.stringify(before)).not.toContain('赵捐赠');

    // The receipt prints the entry's number and, for the donor alone, the salt and donor id.
    const a = new Agent((await h().app()).app);
    expect((await a.login(staff.username, TEST_PASSWORD)).statusCode).toBe(200);
    const ref = async () => (await a.request({ method: 'GET', url: `/api/donations/${d.id}/ledger` })).json() as { index: number; party: { salt: string; id: string } | null };
    const printed = await ref();
    expect(printed.index).toBeGreaterThanOrEqual(0);
    expect(printed.party).toEqual({ salt: Buffer.from(s!).toString('hex'), id: donor.id });

    await erasePerson(officer.ctx, person.id, { reason: '本人申请删除' });
    expect(await salt()).toBeUndefined();
    expect((await ref()).party).toBeNull();
    expect((await entry()).party).toBe(before.party);
  });
});
