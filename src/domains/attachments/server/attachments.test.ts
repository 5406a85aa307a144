import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, TEST_PASSWORD } from '../../../../tests/support/harness.ts';
import { createPerson } from '../../people/server/people.service.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body')]);
const PDF = Buffer.from('%PDF-1.7\n% test document\n');

describeDb('attachments', (h) => {
  let ke: Agent;
  let js: Agent;
  let personId: string;
  const upload = (a: Agent, bytes: Buffer, name: string, type = 'application/octet-stream', owner = personId) =>
    a.request({ method: 'POST', url: `/api/attachments?ownerType=person&ownerId=${owner}`, payload: bytes, headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } });

  beforeAll(async () => {
    const keUser = await h().createUser({ username: 'at.ke', unit: '330802', roles: ['staff'] });
    await h().createUser({ username: 'at.js', unit: '330881', roles: ['staff'] });
    personId = (await createPerson(keUser.ctx, { name: '附件测试人', idType: 'passport', idNumber: 'P7654321', sex: 'F', birthDate: '1988-08-08' })).id;
    const { app } = await h().app();
    ke = new Agent(app);
    await ke.login('at.ke', TEST_PASSWORD);
    js = new Agent(app);
    await js.login('at.js', TEST_PASSWORD);
  });

  it('stores evidence by content type and hash, lists it and serves it back', async () => {
    const res = await upload(ke, PDF, '同意书.pdf');
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ contentType: 'application/pdf', size: PDF.length, fileName: '同意书.pdf' });
    const onDisk = path.join(h().deps.config.filesDir, 'blobs', a.sha256.slice(0, 2), a.sha256);
    expect(fs.readFileSync(onDisk).equals(PDF)).toBe(true);
    const again = await upload(ke, PDF, 'copy.pdf');
    expect(again.json().sha256).toBe(a.sha256);
    const list = (await ke.get(`/api/attachments?ownerType=person&ownerId=${personId}`)).json();
    expect(list.items).toHaveLength(2);
    const dl = await ke.get(`/api/attachments/${a.id}/content`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''");
    expect(dl.rawPayload.equals(PDF)).toBe(true);
  });

  it('judges the type by the bytes and keeps names harmless', async () => {
    const exe = await upload(ke, Buffer.from('MZ\x90\x00 this is not an image'), 'photo.jpg', 'image/jpeg');
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error.code).toBe('attachments.type_not_allowed');
    const png = await upload(ke, PNG, '../../etc/passwd\r\nSet-Cookie: x=1.png');
    expect(png.statusCode).toBe(201);
    const dl = await ke.get(`/api/attachments/${png.json().id}/content`);
    expect(String(dl.headers['content-disposition'])).not.toMatch(/[\r\n]/);
    expect(png.json().fileName).not.toContain('/');
  });

  it('shows a county’s evidence to nobody outside it, and withdrawing it is audited', async () => {
    const a = (await upload(ke, PNG, '照片.png')).json();
    expect((await js.get(`/api/attachments/${a.id}/content`)).statusCode).toBe(404);
    expect((await js.get(`/api/attachments?ownerType=person&ownerId=${personId}`)).statusCode).toBe(404);
    expect((await upload(js, PNG, 'x.png')).statusCode).toBe(404);
    expect((await js.delete(`/api/attachments/${a.id}`)).statusCode).toBe(404);
    expect((await ke.delete(`/api/attachments/${a.id}`)).statusCode).toBe(204);
    expect((await ke.get(`/api/attachments/${a.id}/content`)).statusCode).toBe(404);
    const trail = await h().system.run((trx) => trx.selectFrom('audit_log').select('action').where('entity_id', '=', personId).where('action', 'like', 'attachments.%').execute());
    expect(trail.map((t) => t.action)).toContain('attachments.removed');
  });
});
