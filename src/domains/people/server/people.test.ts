import { beforeAll, expect, it } from 'vitest';
import { ExcelJS } from '../../../platform/exceljs.ts';
import { sql } from 'kysely';
import { Agent, describeDb, errorCode as code, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { residentIdCheckChar } from '../../../platform/validators.ts';
import * as people from './people.service.ts';
import { purgeIdempotencyKeys } from '../../../platform/idempotency.ts';

const idFor = (region: string, birth: string, seq: string) => {
  const f = region + birth + seq;
  return f + residentIdCheckChar(f);
};
const ZHANG = idFor('330802', '19900101', '123'); // male
const LI = idFor('330802', '19850615', '002'); // female
const CHILD = idFor('330802', '20150301', '045'); // 11 years old on 2026-06-01
const TEEN = idFor('330881', '20100301', '046'); // 16
const FULL_ID = /\b\d{17}[\dX]\b/;
const FULL_MOBILE = /\b1[3-9]\d{9}\b/;

/** Every body an agent without people.view_full receives is kept for the scan at the end. */
const seen: string[] = [];
class RecordingAgent extends Agent {
  override async request(opts: Parameters<Agent['request']>[0]) {
    const res = await super.request(opts);
    seen.push(res.headers['content-type']?.toString().includes('json') ? res.body : '');
    return res;
  }
}

describeDb('people registry', (h) => {
  let keStaff: TestUser;
  let jsStaff: TestUser;
  let officer: TestUser;
  let staffAgent: Agent;
  beforeAll(async () => {
    keStaff = await h().createUser({ username: 'p.ke', unit: '330802', roles: ['staff'] });
    jsStaff = await h().createUser({ username: 'p.js', unit: '330881', roles: ['staff'] });
    officer = await h().createUser({ username: 'p.officer', unit: '330800', roles: ['data_officer'] });
    staffAgent = new RecordingAgent((await h().app()).app);
    await staffAgent.login('p.ke', TEST_PASSWORD);
  });

  it('registers a person: sex and birth date from the ID, identifiers masked in every answer and sealed in the database', async () => {
    const res = await staffAgent.post('/api/people', { name: '张三', idType: 'resident_id', idNumber: ZHANG, mobile: '+86 138-0013-8000', address: '衢州市柯城区信安路 1 号' });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ name: '张三', sex: 'M', idNumberMasked: '330802********' + ZHANG.slice(-4), mobileMasked: '138****8000', unitName: '柯城区', minor: null });
    expect(p.age).toBe(36);
    const row = await sql<Record<string, unknown>>`select * from person where id = ${p.id}`.execute(h().deps.db);
    const text = JSON.stringify(row.rows[0]);
    expect(text).not.toContain(ZHANG);
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain(ZHANG.slice(6, 14) + ZHANG.slice(14));
    const audit = await sql<{ payload: string }>`select payload from audit_log where entity_id = ${p.id}`.execute(h().deps.db);
    expect(audit.rows.map((r) => r.payload).join()).not.toMatch(FULL_ID);
    expect(audit.rows.map((r) => r.payload).join()).not.toMatch(FULL_MOBILE);
  });

  it('names the bad field in Chinese and changes nothing', async () => {
    const bad = ZHANG.slice(0, 17) + (ZHANG[17] === '0' ? '1' : '0');
    const res = await staffAgent.post('/api/people', { name: '王五', idType: 'resident_id', idNumber: bad, mobile: '12345' });
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { field: string; message: string }[];
    expect(details.find((d) => d.field === 'body.idNumber')?.message).toBe('身份证号校验位不正确，请核对');
    expect(details.find((d) => d.field === 'body.mobile')?.message).toContain('手机号');
    const mismatch = await staffAgent.post('/api/people', { name: '王五', idType: 'resident_id', idNumber: LI, sex: 'M' });
    expect(mismatch.json().error.details[0]).toMatchObject({ field: 'body.sex', message: '性别与身份证号不符' });
    expect((await people.listPeople(keStaff.ctx, { limit: 50, sort: 'name', q: '王五' })).items).toHaveLength(0);
  });

  it('refuses a second registration of the same document, here and in another county, and links instead', async () => {
    expect(await code(people.createPerson(keStaff.ctx, { name: '张三', idType: 'resident_id', idNumber: ZHANG }))).toBe('people.duplicate');
    // A legacy 15-digit card of the same person is the same document.
    const legacy = ZHANG.slice(0, 6) + ZHANG.slice(8, 17);
    expect(await code(people.createPerson(keStaff.ctx, { name: '张三', idType: 'resident_id', idNumber: legacy }))).toBe('people.duplicate');
    expect(await code(people.createPerson(jsStaff.ctx, { name: '张三', idType: 'resident_id', idNumber: ZHANG }))).toBe('people.registered_elsewhere');
    const found = await people.lookupPeople(jsStaff.ctx, { idType: 'resident_id', idNumber: ZHANG });
    expect(found).toEqual({ items: [], registeredElsewhere: true });
    const linked = await people.linkPerson(jsStaff.ctx, { idType: 'resident_id', idNumber: ZHANG });
    expect(linked.name).toBe('张三');
    const detail = await people.getPerson(jsStaff.ctx, linked.id);
    expect(detail.linkedUnits.map((u) => u.unitName)).toContain('江山市');
    expect(detail.unitName).toBe('柯城区');
    // Each unit sees the links made within its own jurisdiction; the city sees both.
    expect(detail.roles.map((r) => r.role)).toEqual(['linked']);
    expect((await people.getPerson(officer.ctx, linked.id)).roles.map((r) => r.role).sort()).toEqual(['linked', 'registered']);
  });

  it('finds people by any part of the name, by document and by mobile, within the jurisdiction', async () => {
    await people.createPerson(keStaff.ctx, { name: '欧阳娜娜', idType: 'resident_id', idNumber: LI, mobile: '13905701111' });
    await people.createPerson(jsStaff.ctx, { name: '欧阳修', idType: 'passport', idNumber: 'E1234567', sex: 'M', birthDate: '1970-01-01' });
    const byPart = await people.listPeople(keStaff.ctx, { limit: 50, sort: 'name', q: '阳娜' });
    expect(byPart.items.map((p) => p.name)).toEqual(['欧阳娜娜']);
    const one = await people.listPeople(keStaff.ctx, { limit: 50, sort: 'name', q: '阳' });
    expect(one.items.map((p) => p.name)).toEqual(['欧阳娜娜']); // 欧阳修 is 江山市's
    const city = await people.listPeople(officer.ctx, { limit: 50, sort: 'name', q: '欧阳' });
    expect(city.items.map((p) => p.name).sort()).toEqual(['欧阳修', '欧阳娜娜'].sort());
    expect((await people.lookupPeople(keStaff.ctx, { idType: 'resident_id', mobile: '139 0570 1111' })).items[0]?.name).toBe('欧阳娜娜');
    expect((await people.lookupPeople(keStaff.ctx, { idType: 'passport', idNumber: 'e1234567' })).registeredElsewhere).toBe(true);
    const res = await staffAgent.post('/api/people/lookup', { idType: 'resident_id', idNumber: LI });
    expect(res.json().items[0].name).toBe('欧阳娜娜');
  });

  it('unmasks only for people.view_full, and audits every unmasking without the values', async () => {
    const p = (await people.listPeople(keStaff.ctx, { limit: 5, sort: 'name', q: '张三' })).items[0]!;
    const denied = await staffAgent.post(`/api/people/${p.id}/unmask`, { fields: ['idNumber'], reason: '核对' });
    expect(denied.statusCode).toBe(403);
    const full = await people.unmaskPerson(officer.ctx, p.id, { fields: ['idNumber', 'mobile', 'birthDate'], reason: '核对捐赠票据' });
    expect(full).toEqual({ idNumber: ZHANG, mobile: '13800138000', birthDate: '1990-01-01' });
    const rows = await sql<{ actor_username: string; details: unknown; payload: string }>`select actor_username, details, payload from audit_log where action = 'people.unmasked' and entity_id = ${p.id}`.execute(h().deps.db);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.actor_username).toBe('p.officer');
    expect(rows.rows[0]!.details).toMatchObject({ fields: ['idNumber', 'mobile', 'birthDate'], reason: '核对捐赠票据' });
    expect(rows.rows[0]!.payload).not.toContain(ZHANG);
  });

  it('flags minors and requires a guardian’s consent under 14', async () => {
    const child = await people.createPerson(keStaff.ctx, { name: '小明', idType: 'resident_id', idNumber: CHILD });
    expect(child.minor).toBe('under14');
    expect(await code(people.giveConsent(keStaff.ctx, child.id, { purpose: 'training', scope: '少儿急救课', givenBy: 'self' }))).toBe('people.guardian_required');
    const adult = (await people.listPeople(keStaff.ctx, { limit: 5, sort: 'name', q: '张三' })).items[0]!;
    expect(await code(people.createPerson(keStaff.ctx, { name: '小红', idType: 'resident_id', idNumber: idFor('330802', '20160101', '066'), guardian: { personId: child.id, relation: '父亲' } }))).toBe('people.guardian_invalid');
    const withGuardian = await people.createPerson(keStaff.ctx, { name: '小刚', idType: 'resident_id', idNumber: idFor('330802', '20160202', '077'), guardian: { personId: adult.id, relation: '父亲' } });
    expect(withGuardian.guardian).toMatchObject({ name: '张三', relation: '父亲' });
    const c = await people.giveConsent(keStaff.ctx, withGuardian.id, { purpose: 'training', scope: '少儿急救课', givenBy: 'guardian', evidence: '纸质同意书 2026-06-01' });
    expect(c).toMatchObject({ givenBy: 'guardian', guardianName: '张三', withdrawnAt: null });
    const w = await people.withdrawConsent(keStaff.ctx, withGuardian.id, c.id, '家长撤回');
    expect(w.withdrawnAt).not.toBeNull();
    expect(await code(people.withdrawConsent(keStaff.ctx, withGuardian.id, c.id, 'again'))).toBe('people.consent_withdrawn');
    // A guardian can be added later too.
    const later = await people.updatePerson(keStaff.ctx, child.id, { version: child.version, guardian: { personId: adult.id, relation: '母亲' } });
    expect(later.guardian).toMatchObject({ name: '张三', relation: '母亲' });
    expect((await people.giveConsent(keStaff.ctx, child.id, { purpose: 'training', scope: '少儿急救课', givenBy: 'guardian' })).givenBy).toBe('guardian');
    const teen = await people.createPerson(jsStaff.ctx, { name: '少年', idType: 'resident_id', idNumber: TEEN });
    expect(teen.minor).toBe('under18');
    expect((await people.listPeople(officer.ctx, { limit: 50, sort: 'name', minor: 'under14' })).items.map((p) => p.name).sort()).toEqual(['小刚', '小明'].sort());
  });

  it('merges a duplicate into the kept record, moving its links and consents', async () => {
    const a = await people.createPerson(keStaff.ctx, { name: '赵六', idType: 'passport', idNumber: 'G99887766', sex: 'M', birthDate: '1980-05-05' });
    const b = await people.createPerson(keStaff.ctx, { name: '赵六', idType: 'resident_id', idNumber: idFor('330802', '19800505', '031'), mobile: '13600001111' });
    await people.giveConsent(keStaff.ctx, b.id, { purpose: 'volunteer', scope: '志愿服务', givenBy: 'self' });
    const kept = await people.mergePeople(officer.ctx, { keepId: b.id, mergeId: a.id, reason: '同一人两次登记' });
    expect(kept.idType).toBe('resident_id');
    expect(await code(people.getPerson(keStaff.ctx, a.id))).toBe('people.not_found');
    const detail = await people.getPerson(keStaff.ctx, b.id);
    expect(detail.consents).toHaveLength(1);
    // The merged record's passport is free again.
    const c = await people.createPerson(keStaff.ctx, { name: '钱七', idType: 'resident_id', idNumber: idFor('330802', '19750101', '051') });
    expect(await code(people.mergePeople(officer.ctx, { keepId: b.id, mergeId: c.id, reason: '误合并' }))).toBe('people.merge_conflict');
    expect(await code(people.mergePeople(keStaff.ctx, { keepId: b.id, mergeId: c.id, reason: 'x' }))).toBe('forbidden');
  });

  it('exports everything held on a person, then erases by destroying the data key', async () => {
    const p = await people.createPerson(keStaff.ctx, { name: '孙八', idType: 'resident_id', idNumber: idFor('330802', '19660606', '013'), mobile: '13700002222', address: '柯城区某路' });
    await people.giveConsent(keStaff.ctx, p.id, { purpose: 'public_disclosure', scope: '捐赠公示署名', givenBy: 'self' });
    const data = await people.exportPersonData(officer.ctx, p.id);
    expect(data.person).toMatchObject({ name: '孙八', mobile: '13700002222', address: '柯城区某路' });
    expect(data.person.idNumber).toMatch(/^330802196606060/);
    expect(data.person.consents).toHaveLength(1);
    expect(data.history.map((x) => x.action)).toEqual(expect.arrayContaining(['people.created', 'people.consent_given']));
    const before = await sql<{ id_number_enc: string }>`select id_number_enc from person where id = ${p.id}`.execute(h().deps.db);
    const erased = await people.erasePerson(officer.ctx, p.id, { reason: '本人申请删除', requestRef: 'DSR-2026-001' });
    expect(erased).toMatchObject({ erased: true, idNumberMasked: null, mobileMasked: null, address: null, age: null });
    expect(erased.name).toMatch(/^已删除-/);
    const after = await sql<{ id_number_enc: string; id_number_bidx: string | null }>`select id_number_enc, id_number_bidx from person where id = ${p.id}`.execute(h().deps.db);
    expect(after.rows[0]!.id_number_enc).toBe(before.rows[0]!.id_number_enc); // the ciphertext stays, unreadable
    expect(after.rows[0]!.id_number_bidx).toBeNull();
    expect((await sql`select 1 from person_key where person_id = ${p.id}`.execute(h().deps.db)).rows).toHaveLength(0);
    expect(await code(people.unmaskPerson(officer.ctx, p.id, { fields: ['idNumber'], reason: 'x' }))).toBe('people.erased');
    // The same person can be registered again afresh.
    await people.createPerson(keStaff.ctx, { name: '孙八', idType: 'resident_id', idNumber: idFor('330802', '19660606', '013') });
  });

  it('exports the list masked, as xlsx with Chinese headers', async () => {
    const res = await staffAgent.get(`/api/people/export?q=${encodeURIComponent('张')}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual(expect.arrayContaining(['姓名', '证件号（脱敏）', '手机号（脱敏）']));
    const cells: string[] = [];
    ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.value))));
    expect(cells).toContain('张三');
    expect(cells.join(' ')).not.toMatch(FULL_ID);
    expect(cells.join(' ')).not.toMatch(FULL_MOBILE);
  });

  it('never answers a role without people.view_full with a full ID number or mobile (every body of this suite)', async () => {
    const all = await staffAgent.get('/api/people?limit=200');
    const first = all.json().items[0].id;
    await staffAgent.get(`/api/people/${first}`);
    expect(seen.length).toBeGreaterThan(8);
    for (const body of seen) {
      expect(body).not.toMatch(FULL_ID);
      expect(body).not.toMatch(FULL_MOBILE);
    }
  });
});

describeDb('idempotent registration', (h) => {
  it('50 concurrent identical POSTs with one key create exactly one person, all answers the same', async () => {
    await h().createUser({ username: 'i.staff', unit: '330825', roles: ['staff'] });
    const { app } = await h().app();
    const a = new Agent(app);
    await a.login('i.staff', TEST_PASSWORD);
    const body = { name: '幂等测试', idType: 'resident_id', idNumber: idFor('330825', '19991231', '088') };
    const results = await Promise.all(Array.from({ length: 50 }, () => a.request({ method: 'POST', url: '/api/people', payload: body, headers: { 'idempotency-key': 'reg-0001' } })));
    const codes = results.map((r) => r.statusCode);
    expect(codes.every((c) => c === 201)).toBe(true);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
    const count = await sql<{ n: number }>`select count(*)::int as n from person where name = '幂等测试'`.execute(h().deps.db);
    expect(count.rows[0]!.n).toBe(1);
    const changed = await a.request({ method: 'POST', url: '/api/people', payload: { ...body, name: '幂等测试2' }, headers: { 'idempotency-key': 'reg-0001' } });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().error.code).toBe('idempotency.key_reused');
    // A refused request does not use up its key.
    const refused = await a.request({ method: 'POST', url: '/api/people', payload: body, headers: { 'idempotency-key': 'reg-0002' } });
    expect(refused.statusCode).toBe(409);
    const retried = await a.request({ method: 'POST', url: '/api/people', payload: { ...body, idNumber: idFor('330825', '19991231', '099') }, headers: { 'idempotency-key': 'reg-0002' } });
    expect(retried.statusCode).toBe(201);
    // Keys are kept at least 24 hours, then purged and free again.
    h().clock.advance(23 * 3_600_000);
    await purgeIdempotencyKeys(h().deps);
    await a.login('i.staff', TEST_PASSWORD);
    expect((await a.request({ method: 'POST', url: '/api/people', payload: { ...body, name: '幂等测试3' }, headers: { 'idempotency-key': 'reg-0001' } })).statusCode).toBe(422);
    h().clock.advance(2 * 3_600_000);
    await purgeIdempotencyKeys(h().deps);
    await a.login('i.staff', TEST_PASSWORD);
    const after = await a.request({ method: 'POST', url: '/api/people', payload: { ...body, idNumber: idFor('330825', '19991231', '101') }, headers: { 'idempotency-key': 'reg-0001' } });
    expect(after.statusCode).toBe(201);
  });
});
