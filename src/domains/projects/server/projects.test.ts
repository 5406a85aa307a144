import fs from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, errorCode as code, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { addAttachment } from '../../attachments/server/attachments.service.ts';
import { fenToYuan, yuanToFen } from '../projects.contract.ts';
import { registerProjectAttachments } from './projects.attachments.ts';
import { QUZHOU_PROJECTS } from './projects.reference.ts';
import * as svc from './projects.service.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const SEED = '../shared/seed/quzhou-red-cross-14th-five-year-plan.md';

/** The annex table as printed: name and description per row. */
function annexRows() {
  const text = fs.readFileSync(SEED, 'utf8');
  const tail = text.slice(text.indexOf('衢州市红十字人道公益项目推荐表'));
  return tail
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.startsWith('|--') && !l.includes('项目名称'))
    .map((l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()));
}

describeDb('projects domain', (h) => {
  let city: TestUser;
  let kecheng: TestUser;
  let xinan: TestUser;
  let jiangshan: TestUser;
  let leader: TestUser;
  beforeAll(async () => {
    registerProjectAttachments();
    city = await h().createUser({ username: 'prj.city', unit: '330800', roles: ['staff'] });
    kecheng = await h().createUser({ username: 'prj.kecheng', unit: '330802', roles: ['staff'] });
    xinan = await h().createUser({ username: 'prj.xinan', unit: '信安街道', roles: ['staff'] });
    jiangshan = await h().createUser({ username: 'prj.jiangshan', unit: '330881', roles: ['staff'] });
    leader = await h().createUser({ username: 'prj.leader', unit: '330800', roles: ['leader'] });
  });
  afterEach(() => svc.registerRaisedProvider(null));

  async function agentFor(u: TestUser) {
    const a = new Agent((await h().app()).app);
    expect((await a.login(u.username, TEST_PASSWORD)).statusCode).toBe(200);
    return a;
  }
  const count = async () => (await h().system.run((trx) => trx.selectFrom('project').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow())).n;

  it('ships the 23 projects of the plan’s annex, names and descriptions exactly as printed, owned by the city', async () => {
    const page = await svc.listProjects(city.ctx, { limit: 100, sort: 'code' });
    const ref = page.items.filter((p) => p.code.startsWith('XM-330800-'));
    expect(ref).toHaveLength(23);
    expect(ref.map((p) => p.name)).toEqual(QUZHOU_PROJECTS.map((p) => p.name));
    expect(ref.map((p) => p.summary)).toEqual(QUZHOU_PROJECTS.map((p) => p.summary));
    expect(ref.map((p) => p.code)).toEqual(QUZHOU_PROJECTS.map((_, i) => `XM-330800-2026-${String(i + 1).padStart(3, '0')}`));
    expect(new Set(ref.map((p) => p.ownerUnitId))).toEqual(new Set([h().unit('330800')]));
    expect(ref.every((p) => p.status === 'fundraising' && p.kind === 'project' && !p.brandProject && p.goalFen === null && p.raisedFen === 0)).toBe(true);
    expect(ref[0]!.name).toBe('“博爱送万家”困难会员慰问');
    expect(ref[6]!.name).toBe('关爱贫困家族先心（白血病）患儿');
    expect(ref[22]!.name).toBe('学校红十字救护站');
    if (fs.existsSync(SEED)) expect(annexRows()).toEqual(QUZHOU_PROJECTS.map((p) => [p.name, p.summary]));
    // The leader reads the library; a county sees none of the city's projects.
    expect((await svc.listProjects(leader.ctx, { limit: 5, sort: 'code' })).items).toHaveLength(5);
    expect((await svc.listProjects(kecheng.ctx, { limit: 100, sort: 'code' })).items.filter((p) => p.code.startsWith('XM-330800-'))).toEqual([]);
  });

  it('numbers each unit’s series, filters and pages by keyset, and keeps money as integer fen', async () => {
    const a = await svc.createProject(kecheng.ctx, { name: '柯城区博爱助学', kind: 'project', category: 'education', status: 'draft', goalFen: 5_000_000_00, beneficiaryGroups: ['贫困学生'] });
    const b = await svc.createProject(xinan.ctx, { name: '信安街道爱心驿站', kind: 'project', category: 'volunteer', status: 'fundraising' });
    expect(a.code).toBe('XM-330802-2026-001');
    expect(b.code).toBe('XM-330802-2026-002'); // a street has no org code: its county's series
    expect(a).toMatchObject({ ownerUnitName: '柯城区', goalFen: 500_000_000, raisedFen: 0, beneficiaryGroups: ['贫困学生'], version: 1 });
    const mine = await svc.listProjects(kecheng.ctx, { limit: 50, sort: 'code' });
    expect(mine.items.map((p) => p.code)).toEqual(['XM-330802-2026-001', 'XM-330802-2026-002']);
    expect((await svc.listProjects(xinan.ctx, { limit: 50, sort: 'code' })).items.map((p) => p.name)).toEqual(['信安街道爱心驿站']);
    expect((await svc.listProjects(city.ctx, { limit: 50, sort: 'code', q: '博爱' })).items.map((p) => p.name)).toEqual(['“博爱送万家”困难会员慰问', '柯城区博爱助学']);
    expect((await svc.listProjects(city.ctx, { limit: 50, sort: 'code', category: 'life' })).items).toHaveLength(3);
    expect((await svc.listProjects(city.ctx, { limit: 50, sort: 'code', status: 'draft' })).items.map((p) => p.name)).toEqual(['柯城区博爱助学']);
    // Keyset pages of 10 in every sort: no row twice, none lost.
    for (const sort of ['code', '-code', 'name', '-createdAt'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const p = await svc.listProjects(city.ctx, { limit: 10, sort, cursor });
        seen.push(...p.items.map((x) => x.id));
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.length, sort).toBe(25);
      expect(new Set(seen).size, sort).toBe(25);
    }
    expect(fenToYuan(500_000_000)).toBe('5,000,000.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect([yuanToFen('12.3'), yuanToFen('0.07'), yuanToFen('1.234'), yuanToFen('-1')]).toEqual([1230, 7, null, null]);
  });

  it('allows at most 2 brand projects per county, counted across the county’s units, and says so naming the field', async () => {
    const p1 = await svc.createProject(kecheng.ctx, { name: '柯城品牌一', kind: 'project', category: 'first_aid', status: 'fundraising', brandProject: true });
    await svc.createProject(xinan.ctx, { name: '柯城品牌二（街道）', kind: 'project', category: 'relief', status: 'draft', brandProject: true });
    // The street cannot see the county's project, yet its count includes it.
    expect(await code(svc.createProject(xinan.ctx, { name: '柯城品牌三', kind: 'project', category: 'relief', status: 'draft', brandProject: true }))).toBe('projects.brand_limit');
    const agent = await agentFor(kecheng);
    const before = await count();
    const res = await agent.post('/api/projects', { name: '柯城品牌三', category: 'relief', brandProject: true });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('县级品牌项目');
    expect(res.json().error.message).toContain('柯城区');
    expect(res.json().error.details[0].field).toBe('body.brandProject');
    expect(await count()).toBe(before);
    // Flagging an existing project counts the same way.
    const plain = await svc.createProject(kecheng.ctx, { name: '柯城普通项目', kind: 'project', category: 'other', status: 'draft' });
    expect(await code(svc.updateProject(kecheng.ctx, plain.id, { version: 1, brandProject: true }))).toBe('projects.brand_limit');
    // Another county has its own two; the city itself runs no county brand project.
    await svc.createProject(jiangshan.ctx, { name: '江山品牌一', kind: 'project', category: 'relief', status: 'draft', brandProject: true });
    expect(await code(svc.createProject(city.ctx, { name: '市级品牌', kind: 'project', category: 'relief', status: 'draft', brandProject: true }))).toBe('projects.brand_needs_county');
    // A closed brand project frees its place.
    await svc.closeProject(kecheng.ctx, p1.id, { version: 1, reason: '项目周期结束' });
    expect((await svc.updateProject(kecheng.ctx, plain.id, { version: 1, brandProject: true })).brandProject).toBe(true);
    // The database refuses a third one too (a race past the service's check).
    const row = { org_unit_id: h().unit('330802'), kind: 'project', category: 'relief', status: 'draft', brand_project: true, beneficiary_groups: '[]', created_at: new Date(), updated_at: new Date() };
    await expect(h().system.run((trx) => trx.insertInto('project').values({ ...row, id: crypto.randomUUID(), code: 'XM-330802-2026-900', name: '绕过服务' }).execute())).rejects.toThrow(/project_brand_limit/);
  });

  it('keeps the brand limit and the code series under concurrent requests', async () => {
    const kc = await h().createUser({ username: 'prj.quzhou', unit: '330803', roles: ['staff'] });
    const kc2 = await h().createUser({ username: 'prj.quzhou2', unit: '330803', roles: ['staff'] });
    await svc.createProject(kc.ctx, { name: '衢江品牌一', kind: 'project', category: 'relief', status: 'draft', brandProject: true });
    const results = await Promise.all(
      [kc, kc2, kc, kc2].map((u, i) => code(svc.createProject(u.ctx, { name: `衢江品牌竞争${i}`, kind: 'project', category: 'relief', status: 'draft', brandProject: true }))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'projects.brand_limit')).toHaveLength(3);
    const made = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => svc.createProject((i % 2 ? kc : kc2).ctx, { name: `衢江并发${i}`, kind: 'project', category: 'other', status: 'draft' })));
    expect(new Set(made.map((p) => p.code)).size).toBe(6);
    const codes = (await svc.listProjects(kc.ctx, { limit: 50, sort: 'code' })).items.map((p) => p.code);
    expect(codes).toEqual(Array.from({ length: 8 }, (_, i) => `XM-330803-2026-${String(i + 1).padStart(3, '0')}`));
  });

  it('keeps a county out of another county’s projects: 404, nothing changed, nothing listed', async () => {
    const p = await svc.createProject(kecheng.ctx, { name: '柯城区私有项目', kind: 'project', category: 'relief', status: 'fundraising', internalNotes: '仅柯城可见' });
    const js = await agentFor(jiangshan);
    expect((await js.get(`/api/projects/${p.id}`)).statusCode).toBe(404);
    const patch = await js.patch(`/api/projects/${p.id}`, { version: 1, name: '被改名' });
    expect(patch.statusCode).toBe(404);
    expect((await js.post(`/api/projects/${p.id}/close`, { version: 1, reason: '越权' })).statusCode).toBe(404);
    expect((await js.post('/api/projects', { name: '越权', category: 'relief', ownerUnitId: h().unit('330802') })).statusCode).toBe(404);
    const list = await js.get('/api/projects?limit=200');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('柯城区私有项目');
    expect(await code(svc.updateProject(jiangshan.ctx, p.id, { version: 1, name: 'x' }))).toBe('projects.not_found');
    const now = await svc.getProject(kecheng.ctx, p.id);
    expect(now).toMatchObject({ name: '柯城区私有项目', version: 1, status: 'fundraising' });
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const agent = await agentFor(kecheng);
    const p = await svc.createProject(kecheng.ctx, { name: '输入校验项目', kind: 'project', category: 'relief', status: 'draft', goalFen: 100 });
    const before = await count();
    const cases: [unknown, string][] = [
      [{ name: '负数目标', category: 'relief', goalFen: -1 }, 'body.goalFen'],
      [{ name: '小数分', category: 'relief', goalFen: 12.5 }, 'body.goalFen'],
      [{ name: '超大', category: 'relief', goalFen: 2 ** 60 }, 'body.goalFen'],
      [{ name: '字符串金额', category: 'relief', goalFen: '100' }, 'body.goalFen'],
      [{ name: '未知字段', category: 'relief', raisedFen: 5 }, 'body.raisedFen'],
      [{ name: '', category: 'relief' }, 'body.name'],
      [{ name: '类别', category: 'charity' }, 'body.category'],
      [{ name: '专项募捐', kind: 'appeal', category: 'disaster', periodStart: '2026-07-01' }, 'body.affectedArea'],
      [{ name: '项目无灾区', kind: 'project', category: 'relief', affectedArea: '江山市' }, 'body.affectedArea'],
      [{ name: '日期', category: 'relief', periodStart: '2026-07-01', periodEnd: '2026-06-01' }, 'body.periodEnd'],
      [{ name: '建即结束', category: 'relief', status: 'closed' }, 'body.status'],
    ];
    for (const [body, field] of cases) {
      const res = await agent.post('/api/projects', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect((await agent.post('/api/projects', { name: '小数分', category: 'relief', goalFen: 12.5 })).json().error.details[0].message).toContain('整数');
    const bad = await agent.patch(`/api/projects/${p.id}`, { version: 1, goalFen: -5 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('body.goalFen');
    expect((await agent.patch(`/api/projects/${p.id}`, { version: 1, kind: 'appeal' })).json().error.details[0].field).toBe('body.kind');
    expect(await count()).toBe(before);
    expect(await svc.getProject(kecheng.ctx, p.id)).toMatchObject({ goalFen: 100, version: 1 });
    // A stale version is a conflict, not a silent overwrite.
    expect((await agent.patch(`/api/projects/${p.id}`, { version: 1, goalFen: 200 })).statusCode).toBe(200);
    expect((await agent.patch(`/api/projects/${p.id}`, { version: 1, goalFen: 300 })).statusCode).toBe(409);
    // An appeal has a start date and an affected area.
    const ok = await agent.post('/api/projects', { name: '2026 江山洪灾专项募捐', kind: 'appeal', category: 'disaster', periodStart: '2026-06-20', affectedArea: '江山市', goalFen: 1_000_000_00 });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ kind: 'appeal', periodStart: '2026-06-20', affectedArea: '江山市', goalFen: 100_000_000, status: 'draft' });
  });

  it('closes a project: no more designated donations, only its public words may change; history shows every step', async () => {
    const p = await svc.createProject(kecheng.ctx, { name: '结束测试项目', kind: 'project', category: 'relief', status: 'draft' });
    expect(await code(svc.assertOpenForDonations(kecheng.ctx, p.id))).toBe('projects.not_fundraising');
    const open = await svc.updateProject(kecheng.ctx, p.id, { version: 1, status: 'fundraising', goalFen: 20_000_00 });
    expect((await svc.assertOpenForDonations(kecheng.ctx, p.id)).code).toBe(p.code);
    expect(await svc.projectBrief(kecheng.ctx, p.id)).toMatchObject({ status: 'fundraising', goalFen: 2_000_000, ownerUnitName: '柯城区' });
    expect(await svc.projectBrief(jiangshan.ctx, p.id)).toBeNull();
    const closed = await svc.closeProject(kecheng.ctx, p.id, { version: open.version, reason: '目标达成' });
    expect(closed).toMatchObject({ status: 'closed', closedReason: '目标达成' });
    expect(await code(svc.assertOpenForDonations(kecheng.ctx, p.id))).toBe('projects.closed');
    expect(await code(svc.updateProject(kecheng.ctx, p.id, { version: closed.version, goalFen: 1 }))).toBe('projects.closed_locked');
    expect(await code(svc.closeProject(kecheng.ctx, p.id, { version: closed.version, reason: '再次' }))).toBe('projects.closed');
    const words = await svc.updateProject(kecheng.ctx, p.id, { version: closed.version, publicText: '项目已圆满结束，感谢各位爱心人士。' });
    expect(words.publicText).toContain('圆满结束');
    const d = await svc.getProject(kecheng.ctx, p.id);
    expect(d.history.map((x) => x.action)).toEqual(['projects.created', 'projects.updated', 'projects.closed', 'projects.updated']);
    expect(d.history[1]!.details).toEqual({ changed: ['goalFen', 'status'] });
    expect(d.history[0]!.by).toBe('prj.kecheng');
  });

  it('reports raised money from the donations domain once it registers, and 0 before', async () => {
    const p = await svc.createProject(kecheng.ctx, { name: '筹款进度项目', kind: 'project', category: 'relief', status: 'fundraising', goalFen: 10_000_00 });
    expect((await svc.getProject(kecheng.ctx, p.id)).raisedFen).toBe(0);
    svc.registerRaisedProvider(async (_ctx, ids) => new Map(ids.filter((id) => id === p.id).map((id) => [id, 2_345_67])));
    expect((await svc.getProject(kecheng.ctx, p.id)).raisedFen).toBe(234_567);
    const pub = await (await h().app()).app.inject({ method: 'GET', url: `/api/public/projects/${p.id}` });
    expect(pub.json()).toMatchObject({ goalFen: 1_000_000, raisedFen: 234_567 });
    expect(await code(svc.updateProject(kecheng.ctx, p.id, { version: 1, status: 'draft' }))).toBe('projects.has_donations');
  });

  it('shows the public fundraising and closed projects with raised vs goal, never drafts, internal notes or people', async () => {
    const draft = await svc.createProject(kecheng.ctx, { name: '公开测试草稿', kind: 'project', category: 'relief', status: 'draft', internalNotes: '草稿内部备注' });
    const live = await svc.createProject(kecheng.ctx, { name: '公开测试募捐', kind: 'project', category: 'relief', status: 'fundraising', goalFen: 50_000_00, internalNotes: '不对外的备注', publicText: '欢迎捐赠' });
    const { app } = await h().app();
    const anon = (url: string) => app.inject({ method: 'GET', url });
    const all: { id: string; status: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await anon(`/api/public/projects?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/内部备注|不对外的备注|internalNotes|createdBy|prj\.|version|ownerUnitId/);
      const body = res.json() as { items: { id: string; status: string }[]; nextCursor: string | null };
      all.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(all.some((p) => p.id === live.id)).toBe(true);
    expect(all.some((p) => p.id === draft.id)).toBe(false);
    expect(all.every((p) => p.status === 'fundraising' || p.status === 'closed')).toBe(true);
    expect(all.length).toBeGreaterThanOrEqual(24);
    expect((await anon(`/api/public/projects/${draft.id}`)).statusCode).toBe(404);
    const one = await anon(`/api/public/projects/${live.id}`);
    expect(one.statusCode).toBe(200);
    expect(Object.keys(one.json()).sort()).toEqual(
      ['affectedArea', 'beneficiaryGroups', 'brandProject', 'category', 'code', 'goalFen', 'hasImage', 'id', 'kind', 'name', 'ownerUnitName', 'periodEnd', 'periodStart', 'publicText', 'raisedFen', 'status', 'summary'].sort(),
    );
    expect(one.json()).toMatchObject({ name: '公开测试募捐', goalFen: 5_000_000, raisedFen: 0, publicText: '欢迎捐赠', hasImage: false, ownerUnitName: '柯城区' });
    expect((await anon(`/api/public/projects?status=closed&limit=100`)).json().items.every((p: { status: string }) => p.status === 'closed')).toBe(true);
    expect((await anon('/api/public/projects?status=draft')).statusCode).toBe(400);
    // The staff routes stay closed to the public.
    expect((await anon('/api/projects')).statusCode).toBe(401);
  });

  it('publishes one image attachment as the public image', async () => {
    const p = await svc.createProject(kecheng.ctx, { name: '图片项目', kind: 'project', category: 'relief', status: 'fundraising' });
    const img = await addAttachment(kecheng.ctx, { ownerType: 'project', ownerId: p.id, bytes: PNG, fileName: '海报.png' });
    const pdf = await addAttachment(kecheng.ctx, { ownerType: 'project', ownerId: p.id, bytes: Buffer.from('%PDF-1.4 内部方案'), fileName: '方案.pdf' });
    expect(await code(svc.updateProject(kecheng.ctx, p.id, { version: 1, publicImageId: pdf.id }))).toBe('projects.image_invalid');
    const withImage = await svc.updateProject(kecheng.ctx, p.id, { version: 1, publicImageId: img.id });
    expect(withImage.publicImageId).toBe(img.id);
    const { app } = await h().app();
    const res = await app.inject({ method: 'GET', url: `/api/public/projects/${p.id}/image` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(PNG)).toBe(true);
    expect((await app.inject({ method: 'GET', url: `/api/public/projects/${p.id}` })).json().hasImage).toBe(true);
    // Another project's image cannot be borrowed, and a draft shows nothing.
    const other = await svc.createProject(kecheng.ctx, { name: '借图项目', kind: 'project', category: 'relief', status: 'draft' });
    expect(await code(svc.updateProject(kecheng.ctx, other.id, { version: 1, publicImageId: img.id }))).toBe('projects.image_invalid');
    expect((await app.inject({ method: 'GET', url: `/api/public/projects/${other.id}/image` })).statusCode).toBe(404);
  });
});
