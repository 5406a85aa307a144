import crypto from 'node:crypto';
import { z } from 'zod';
import { withOwnerRights, type Ctx, type Trx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { dayStart, decodeCursor, pageFrom } from '../../../platform/pagination.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { ageOn, normaliseMobile, parseResidentId } from '../../../platform/validators.ts';
import { entityHistory, recordAudit } from '../../audit/server/audit.service.ts';
import { unitBrief } from '../../orgs/server/orgs.service.ts';
import type { Consent, CreatePerson, IdType, Person, PersonDetail, PersonListQuery, UpdatePerson } from '../people.contract.ts';
import { canonicalDocument, documentIndex, mobileIndex, newDataKey, openDocument, openMobile, sealDocument, sealMobile, unwrapDataKey } from './people.pii.ts';
import * as repo from './people.repository.ts';

/* ---------- shape of what leaves the service ---------- */

export function minorFlag(birthDate: string | null, at: Date): Person['minor'] {
  if (!birthDate) return null;
  const age = ageOn(birthDate, at);
  return age < 14 ? 'under14' : age < 18 ? 'under18' : null;
}

function toPerson(r: repo.PersonRow, now: Date): Person {
  return {
    id: r.id,
    unitId: r.org_unit_id,
    unitName: r.unit_name,
    name: r.name,
    idType: r.id_type as IdType,
    idNumberMasked: r.id_number_mask,
    sex: r.sex as Person['sex'],
    age: r.birth_date ? ageOn(r.birth_date, now) : null,
    minor: minorFlag(r.birth_date, now),
    mobileMasked: r.mobile_mask,
    address: r.address,
    homeUnitId: r.home_unit_id,
    homeUnitName: r.home_unit_name,
    notes: r.notes,
    guardian: r.guardian_id ? { personId: r.guardian_id, name: r.guardian_name ?? '', relation: r.guardian_relation ?? '' } : null,
    erased: !!r.erased_at,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

/** What the audit log may say about a person: no identifier, only what changed and that it did. */
function auditView(p: Person) {
  return { name: p.name, idType: p.idType, sex: p.sex, unitId: p.unitId, homeUnitId: p.homeUnitId, address: p.address ? '[已填写]' : null, notes: p.notes, guardianId: p.guardian?.personId ?? null };
}

async function load(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getPerson(trx, id));
  if (!row || row.merged_into) throw new DomainError('people.not_found');
  return row;
}

/* ---------- reading ---------- */

const cursorSchema = z.object({ k: z.string(), i: z.uuid() });

export async function listPeople(ctx: Ctx, q: PersonListQuery) {
  requirePermission(ctx, 'people.read');
  const after = decodeCursor(q.cursor, cursorSchema);
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    let unitPath: string | undefined;
    if (q.unitId) {
      const unit = await unitBrief(ctx, q.unitId);
      if (!unit) throw new DomainError('orgs.not_found');
      unitPath = unit.path;
    }
    const limitYears = q.minor === 'under14' ? 14 : q.minor === 'under18' ? 18 : undefined;
    const bornAfter = limitYears ? shiftYears(now, -limitYears) : undefined;
    const rows = await repo.listPeople(trx, { q: q.q, unitPath, idType: q.idType, sex: q.sex, bornAfter, sort: q.sort, after }, q.limit + 1);
    return pageFrom(rows, q.limit, (r) => toPerson(r, now), (r) => ({ k: q.sort.endsWith('name') ? r.name : r.created_at.toISOString(), i: r.id }));
  });
}

/**
 * Every person matching a list filter, page by page, masked (an export). The permission is checked
 * before the first row, so a refusal is an error response and not a broken download.
 */
export function iteratePeople(ctx: Ctx, q: Omit<PersonListQuery, 'cursor' | 'limit'>, pageSize = 500) {
  requirePermission(ctx, 'people.export');
  const reader: Ctx = { ...ctx, actor: { ...ctx.actor, permissions: new Set([...ctx.actor.permissions, 'people.read']) } };
  return (async function* () {
    let cursor: string | undefined;
    do {
      const page = await listPeople(reader, { ...q, limit: pageSize, cursor });
      yield page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  })();
}

function shiftYears(at: Date, years: number) {
  const d = new Date(Date.UTC(at.getUTCFullYear() + years, at.getUTCMonth(), at.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

/** Role labels per domain link; domains add theirs as they land. */
export const personRoleLabels: Record<string, { zh: string; en: string }> = {
  'people.registered': { zh: '登记', en: 'Registered' },
  'people.linked': { zh: '关联登记', en: 'Linked registration' },
};

export async function getPerson(ctx: Ctx, id: string): Promise<PersonDetail> {
  requirePermission(ctx, 'people.read');
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    const row = await load(ctx, id);
    const links = await repo.listLinks(trx, id);
    const consents = (await repo.listConsents(trx, id)).map(toConsent);
    // The registration itself is the person's row; roles in a domain are shown to those who may read that domain.
    const registration = { domain: 'people', role: 'registered', label: personRoleLabels['people.registered']!, unitId: row.org_unit_id, unitName: row.unit_name, refId: null, since: row.created_at.toISOString() };
    const roles = links
      .filter((l) => l.domain === 'people' || ctx.actor.kind === 'system' || ctx.actor.permissions.has(`${l.domain}.read`))
      .map((l) => ({
        domain: l.domain,
        role: l.role,
        label: personRoleLabels[`${l.domain}.${l.role}`] ?? { zh: `${l.domain}.${l.role}`, en: `${l.domain}.${l.role}` },
        unitId: l.org_unit_id,
        unitName: l.unit_name,
        refId: l.ref_id,
        since: l.created_at.toISOString(),
      }));
    const linkedUnits = [...new Map(links.filter((l) => l.org_unit_id !== row.org_unit_id).map((l) => [l.org_unit_id, { unitId: l.org_unit_id, unitName: l.unit_name }])).values()];
    const registeredVisible = ctx.actor.kind === 'system' || !!(await unitBrief(ctx, row.org_unit_id));
    return { ...toPerson(row, now), consents, roles: registeredVisible ? [registration, ...roles] : roles, linkedUnits };
  });
}

function toConsent(c: Awaited<ReturnType<typeof repo.listConsents>>[number]): Consent {
  return {
    id: c.id,
    personId: c.person_id,
    purpose: c.purpose as Consent['purpose'],
    scope: c.scope,
    givenAt: c.given_at.toISOString(),
    givenBy: c.given_by as Consent['givenBy'],
    guardianName: c.guardian_name,
    evidence: c.evidence,
    withdrawnAt: c.withdrawn_at?.toISOString() ?? null,
    withdrawnReason: c.withdrawn_reason,
  };
}

/** Exact lookup by document or mobile, through the blind index; the number itself never leaves the request body. */
export async function lookupPeople(ctx: Ctx, input: { idType: IdType; idNumber?: string | undefined; mobile?: string | undefined }) {
  requirePermission(ctx, 'people.read');
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    if (input.idNumber) {
      const bidx = documentIndex(ctx.deps.keys, input.idType, canonicalDocument(input.idType, input.idNumber));
      const row = await repo.findVisibleByDocument(trx, input.idType, bidx);
      if (row) return { items: [toPerson(row, now)], registeredElsewhere: false };
      return { items: [], registeredElsewhere: !!(await repo.documentOwner(trx, input.idType, bidx)) };
    }
    const m = normaliseMobile(input.mobile ?? '');
    if (!m.ok) return { items: [], registeredElsewhere: false };
    const rows = await repo.findVisibleByMobile(trx, mobileIndex(ctx.deps.keys, m.e164));
    return { items: rows.map((r) => toPerson(r, now)), registeredElsewhere: false };
  });
}

/* ---------- writing ---------- */

/** Derives sex and birth date from a resident ID; the contract already checked entered values agree. */
function derived(input: { idType?: IdType; idNumber?: string | null; sex?: string | null; birthDate?: string | null }) {
  if (input.idType === 'resident_id' && input.idNumber) {
    const p = parseResidentId(input.idNumber);
    if (p.ok) return { sex: p.id.sex, birth_date: p.id.birthDate };
  }
  return { sex: input.sex ?? 'U', birth_date: input.birthDate ?? null };
}

async function resolveUnit(ctx: Ctx, unitId: string | undefined, field: string) {
  const id = unitId ?? ctx.actor.unitId;
  if (!id) throw new DomainError('validation_failed', undefined, [{ field, code: 'required', message: '请选择登记单位' }]);
  const unit = await unitBrief(ctx, id);
  if (!unit) throw new DomainError('orgs.not_found', undefined, [{ field, code: 'not_found', message: '' }]);
  return unit;
}

async function checkGuardian(ctx: Ctx, guardianId: string, at: Date) {
  const g = await ctx.run((trx) => repo.getPerson(trx, guardianId));
  if (!g || g.merged_into || g.erased_at || !g.birth_date || ageOn(g.birth_date, at) < 18) {
    throw new DomainError('people.guardian_invalid', undefined, [{ field: 'body.guardian.personId', code: 'invalid', message: '' }]);
  }
}

export type NewPersonRow = { person: Parameters<typeof repo.insertPeople>[1][number]; key: { person_id: string; key_material: string }; unitId: string };

/** Seals one validated input into the rows to insert (shared by single registration and import). */
export function preparePerson(ctx: Ctx, input: CreatePerson, unitId: string, now: Date): NewPersonRow {
  const id = crypto.randomUUID();
  const dek = newDataKey(ctx.deps.keys, id);
  const d = derived(input);
  return {
    person: {
      id,
      org_unit_id: unitId,
      name: input.name,
      name_grams: repo.nameGramsOf(input.name),
      id_type: input.idType,
      ...sealDocument(ctx.deps.keys, dek.raw, id, input.idType, input.idNumber),
      ...sealMobile(ctx.deps.keys, dek.raw, id, input.mobile),
      sex: d.sex,
      birth_date: d.birth_date,
      address: input.address ?? null,
      home_unit_id: input.homeUnitId ?? null,
      notes: input.notes ?? null,
      guardian_id: input.guardian?.personId ?? null,
      guardian_relation: input.guardian?.relation ?? null,
      created_at: now,
      updated_at: now,
      version: 1,
    },
    key: { person_id: id, key_material: dek.material },
    unitId,
  };
}

/**
 * Inserts sealed, validated rows (an import batch, the demo) in the caller's transaction: people
 * and their data keys. Duplicates were checked by the caller; the unique
 * index refuses any that slipped through, failing the whole transaction.
 */
export async function insertPrepared(ctx: Ctx, rows: NewPersonRow[]) {
  requirePermission(ctx, 'people.write', 'people.import');
  await ctx.run(async (trx) => {
    // The jurisdiction is checked once per unit here instead of by the row policies on every
    // inserted row (a fifth of an import's time on PGlite): the rows then go in as the owner.
    for (const unitId of new Set(rows.map((r) => r.unitId))) {
      if (!(await unitBrief(ctx, unitId))) throw new DomainError('orgs.not_found');
    }
    await withOwnerRights(trx, async (t) => {
      await repo.insertPeople(t, rows.map((r) => r.person));
      await repo.insertKeys(t, rows.map((r) => r.key));
    });
  });
}

function isDocumentConflict(err: unknown) {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e.code === '23505' && /person_document/.test(`${e.constraint ?? ''} ${e.message ?? ''}`);
}

export async function createPerson(ctx: Ctx, input: CreatePerson): Promise<Person> {
  requirePermission(ctx, 'people.write');
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    const unit = await resolveUnit(ctx, input.unitId, 'body.unitId');
    if (input.homeUnitId && !(await unitBrief(ctx, input.homeUnitId))) throw new DomainError('orgs.not_found', undefined, [{ field: 'body.homeUnitId', code: 'not_found', message: '' }]);
    if (input.guardian) await checkGuardian(ctx, input.guardian.personId, now);
    const rows = preparePerson(ctx, input, unit.id, now);
    if (rows.person.id_number_bidx) {
      const visible = await repo.findVisibleByDocument(trx, input.idType, rows.person.id_number_bidx);
      if (visible) throw new DomainError('people.duplicate', { name: visible.name }, { personId: visible.id });
      if (await repo.documentOwner(trx, input.idType, rows.person.id_number_bidx)) throw new DomainError('people.registered_elsewhere');
    }
    try {
      await repo.insertPeople(trx, [rows.person]);
    } catch (err) {
      // Registered by someone else in the moment between the check and the insert.
      if (isDocumentConflict(err)) throw new DomainError('people.registered_elsewhere');
      throw err;
    }
    await repo.insertKeys(trx, [rows.key]);
    const created = toPerson((await repo.getPerson(trx, rows.person.id!))!, now);
    await recordAudit(ctx, { action: 'people.created', entityType: 'person', entityId: created.id, unitId: unit.id, after: auditView(created) });
    return created;
  });
}

/** Links a person registered by another unit to the caller's unit, given the full document number. */
export async function linkPerson(ctx: Ctx, input: { idType: IdType; idNumber: string }) {
  requirePermission(ctx, 'people.write');
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    const unitId = ctx.actor.unitId;
    if (!unitId) throw new DomainError('forbidden');
    const bidx = documentIndex(ctx.deps.keys, input.idType, canonicalDocument(input.idType, input.idNumber));
    const owner = await repo.documentOwner(trx, input.idType, bidx);
    if (!owner) throw new DomainError('people.not_linked');
    await withOwnerRights(trx, (t) => repo.insertLink(t, { person_id: owner, org_unit_id: unitId, domain: 'people', role: 'linked', ref_id: null }));
    const row = await repo.getPerson(trx, owner);
    if (!row) throw new DomainError('people.not_found');
    await recordAudit(ctx, { action: 'people.linked', entityType: 'person', entityId: owner, unitId });
    return toPerson(row, now);
  });
}

export async function updatePerson(ctx: Ctx, id: string, input: UpdatePerson): Promise<Person> {
  requirePermission(ctx, 'people.write');
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    const row = await load(ctx, id);
    if (row.erased_at) throw new DomainError('people.erased');
    const before = toPerson(row, now);
    const idType = (input.idType ?? row.id_type) as IdType;
    const material = await repo.getKey(trx, id);
    if (!material) throw new DomainError('people.erased');
    const dek = unwrapDataKey(ctx.deps.keys, id, material);
    const patch: Parameters<typeof repo.updatePersonRow>[2] = {};
    if (input.name !== undefined) {
      patch.name = input.name;
      patch.name_grams = repo.nameGramsOf(input.name);
    }
    if (input.idType !== undefined || input.idNumber !== undefined) {
      const number = input.idNumber !== undefined ? input.idNumber : row.id_number_enc ? openDocument(dek, id, row.id_number_enc) : null;
      if (idType === 'resident_id' && !number) throw new DomainError('validation_failed', undefined, [{ field: 'body.idNumber', code: 'required', message: '请填写身份证号' }]);
      Object.assign(patch, { id_type: idType }, sealDocument(ctx.deps.keys, dek, id, idType, number));
      const d = derived({ idType, idNumber: number, sex: input.sex ?? row.sex, birthDate: input.birthDate ?? row.birth_date });
      patch.sex = d.sex;
      patch.birth_date = d.birth_date;
    } else if (idType !== 'resident_id') {
      if (input.sex !== undefined) patch.sex = input.sex ?? 'U';
      if (input.birthDate !== undefined) patch.birth_date = input.birthDate;
    }
    if (input.mobile !== undefined) Object.assign(patch, sealMobile(ctx.deps.keys, dek, id, input.mobile));
    if (input.address !== undefined) patch.address = input.address;
    if (input.homeUnitId !== undefined) {
      if (input.homeUnitId && !(await unitBrief(ctx, input.homeUnitId))) throw new DomainError('orgs.not_found', undefined, [{ field: 'body.homeUnitId', code: 'not_found', message: '' }]);
      patch.home_unit_id = input.homeUnitId;
    }
    if (input.notes !== undefined) patch.notes = input.notes;
    if (input.guardian !== undefined) {
      if (input.guardian) {
        if (input.guardian.personId === id) throw new DomainError('people.guardian_invalid', undefined, [{ field: 'body.guardian.personId', code: 'invalid', message: '' }]);
        await checkGuardian(ctx, input.guardian.personId, now);
      }
      patch.guardian_id = input.guardian?.personId ?? null;
      patch.guardian_relation = input.guardian?.relation ?? null;
    }
    if (patch.id_number_bidx && patch.id_number_bidx !== undefined) {
      const holder = await repo.documentOwner(trx, idType, patch.id_number_bidx);
      if (holder && holder !== id) throw new DomainError('people.registered_elsewhere');
    }
    let updated;
    try {
      updated = await repo.updatePersonRow(trx, id, patch, { expectedVersion: input.version, now });
    } catch (err) {
      if (isDocumentConflict(err)) throw new DomainError('people.registered_elsewhere');
      throw err;
    }
    if (!updated) throw new DomainError('conflict');
    const after = toPerson((await repo.getPerson(trx, id))!, now);
    const changedPii = [input.idNumber !== undefined && 'idNumber', input.mobile !== undefined && 'mobile'].filter(Boolean);
    await recordAudit(ctx, { action: 'people.updated', entityType: 'person', entityId: id, unitId: row.org_unit_id, before: auditView(before), after: auditView(after), details: changedPii.length ? { piiChanged: changedPii } : undefined });
    return after;
  });
}

/** Full identifiers, for a role that may see them; every call leaves an audit row naming the fields and the reason. */
export async function unmaskPerson(ctx: Ctx, id: string, input: { fields: ('idNumber' | 'mobile' | 'birthDate')[]; reason: string }) {
  requirePermission(ctx, 'people.view_full');
  return ctx.run(async (trx) => {
    const row = await load(ctx, id);
    if (row.erased_at) throw new DomainError('people.erased');
    const material = await repo.getKey(trx, id);
    if (!material) throw new DomainError('people.erased');
    const dek = unwrapDataKey(ctx.deps.keys, id, material);
    const out: { idNumber?: string | null; mobile?: string | null; birthDate?: string | null } = {};
    if (input.fields.includes('idNumber')) out.idNumber = row.id_number_enc ? openDocument(dek, id, row.id_number_enc) : null;
    if (input.fields.includes('mobile')) out.mobile = row.mobile_enc ? openMobile(dek, id, row.mobile_enc).replace(/^\+86/, '') : null;
    if (input.fields.includes('birthDate')) out.birthDate = row.birth_date;
    const minor = minorFlag(row.birth_date, ctx.deps.clock.now());
    await recordAudit(ctx, { action: 'people.unmasked', entityType: 'person', entityId: id, unitId: row.org_unit_id, details: { fields: input.fields, reason: input.reason, minor } });
    return out;
  });
}

/* ---------- consent ---------- */

export async function giveConsent(ctx: Ctx, personId: string, input: { purpose: Consent['purpose']; scope: string; givenAt?: string | undefined; givenBy: 'self' | 'guardian'; evidence?: string | null | undefined }) {
  requirePermission(ctx, 'people.write');
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    const row = await load(ctx, personId);
    if (row.erased_at) throw new DomainError('people.erased');
    const minor = minorFlag(row.birth_date, now);
    // PIPL Art. 31: a child under 14 consents through a guardian.
    if (minor === 'under14' && (input.givenBy !== 'guardian' || !row.guardian_id)) throw new DomainError('people.guardian_required', undefined, [{ field: 'body.givenBy', code: 'guardian_required', message: '' }]);
    const id = await repo.insertConsent(trx, {
      person_id: personId,
      org_unit_id: ctx.actor.unitId ?? row.org_unit_id,
      purpose: input.purpose,
      scope: input.scope,
      given_at: input.givenAt ? dayStart(input.givenAt) : now,
      given_by: input.givenBy,
      guardian_id: input.givenBy === 'guardian' ? row.guardian_id : null,
      evidence: input.evidence ?? null,
      recorded_by: ctx.actor.userId,
    });
    await recordAudit(ctx, { action: 'people.consent_given', entityType: 'person', entityId: personId, unitId: row.org_unit_id, details: { consentId: id, purpose: input.purpose, givenBy: input.givenBy } });
    return (await repo.listConsents(trx, personId)).map(toConsent).find((c) => c.id === id)!;
  });
}

export async function withdrawConsent(ctx: Ctx, personId: string, consentId: string, reason: string) {
  requirePermission(ctx, 'people.write');
  return ctx.run(async (trx) => {
    const row = await load(ctx, personId);
    const c = await repo.getConsent(trx, personId, consentId);
    if (!c) throw new DomainError('people.consent_not_found');
    if (c.withdrawn_at) throw new DomainError('people.consent_withdrawn');
    await repo.withdrawConsent(trx, consentId, ctx.deps.clock.now(), reason);
    await recordAudit(ctx, { action: 'people.consent_withdrawn', entityType: 'person', entityId: personId, unitId: row.org_unit_id, details: { consentId, purpose: c.purpose, reason } });
    return (await repo.listConsents(trx, personId)).map(toConsent).find((x) => x.id === consentId)!;
  });
}

/* ---------- merge ---------- */

/** Other domains move their own references when two people merge (registered as they land). */
export const mergeHandlers: ((ctx: Ctx, fromId: string, toId: string) => Promise<void>)[] = [];

export async function mergePeople(ctx: Ctx, input: { keepId: string; mergeId: string; reason: string }) {
  requirePermission(ctx, 'people.merge');
  if (input.keepId === input.mergeId) throw new DomainError('people.merge_same');
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    const keep = await repo.getPersonForUpdate(trx, input.keepId);
    const drop = await repo.getPersonForUpdate(trx, input.mergeId);
    if (!keep || keep.merged_into || !drop || drop.merged_into) throw new DomainError('people.not_found');
    if (keep.erased_at || drop.erased_at) throw new DomainError('people.erased');
    const keepKey = unwrapDataKey(ctx.deps.keys, keep.id, (await repo.getKey(trx, keep.id))!);
    const dropKey = unwrapDataKey(ctx.deps.keys, drop.id, (await repo.getKey(trx, drop.id))!);
    const patch: Parameters<typeof repo.updatePersonRow>[2] = {};
    // The kept record takes what it lacks from the other; two different documents of the same type cannot both be right.
    if (drop.id_number_enc) {
      const dropNumber = openDocument(dropKey, drop.id, drop.id_number_enc);
      if (keep.id_number_enc) {
        const keepNumber = openDocument(keepKey, keep.id, keep.id_number_enc);
        if (keep.id_type === drop.id_type && keepNumber !== dropNumber) throw new DomainError('people.merge_conflict', { reason: `${keep.id_number_mask} ≠ ${drop.id_number_mask}` });
      } else {
        Object.assign(patch, { id_type: drop.id_type }, sealDocument(ctx.deps.keys, keepKey, keep.id, drop.id_type as IdType, dropNumber));
        if (!keep.birth_date) Object.assign(patch, { birth_date: drop.birth_date, sex: drop.sex });
      }
    }
    if (!keep.mobile_enc && drop.mobile_enc) Object.assign(patch, sealMobile(ctx.deps.keys, keepKey, keep.id, openMobile(dropKey, drop.id, drop.mobile_enc)));
    if (!keep.address && drop.address) patch.address = drop.address;
    // The merged record gives up its document first, so the kept one can hold it.
    await repo.updatePersonRow(trx, drop.id, { merged_into: keep.id, id_number_bidx: null, mobile_bidx: null }, { now });
    if (Object.keys(patch).length) await repo.updatePersonRow(trx, keep.id, patch, { now });
    await withOwnerRights(trx, (t) => repo.moveEverything(t, drop.id, keep.id));
    for (const handler of mergeHandlers) await handler(ctx, drop.id, keep.id);
    await recordAudit(ctx, { action: 'people.merged', entityType: 'person', entityId: keep.id, unitId: keep.org_unit_id, details: { mergedId: drop.id, reason: input.reason } });
    return toPerson((await repo.getPerson(trx, keep.id))!, now);
  });
}

/* ---------- data-subject requests ---------- */

/** Everything held on a person, in clear, for the person (PIPL Art. 45; 红十字会法 Art. 21). Audited. */
export async function exportPersonData(ctx: Ctx, id: string) {
  requirePermission(ctx, 'people.erase', 'people.view_full');
  return ctx.run(async (trx) => {
    const detail = await getPerson(ctx, id);
    const row = await load(ctx, id);
    const material = await repo.getKey(trx, id);
    let idNumber: string | null = null;
    let mobile: string | null = null;
    if (material) {
      const dek = unwrapDataKey(ctx.deps.keys, id, material);
      idNumber = row.id_number_enc ? openDocument(dek, id, row.id_number_enc) : null;
      mobile = row.mobile_enc ? openMobile(dek, id, row.mobile_enc).replace(/^\+86/, '') : null;
    }
    const history = await entityHistory(ctx, 'person', id);
    await recordAudit(ctx, { action: 'people.data_exported', entityType: 'person', entityId: id, unitId: row.org_unit_id });
    return {
      exportedAt: ctx.deps.clock.now().toISOString(),
      person: { ...detail, idNumber, mobile, birthDate: row.birth_date },
      history,
    };
  });
}

/** What other domains must forget when a person is erased (e.g. the ledger's salt for their donor commitments), in the same transaction. */
export type ErasureHook = (ctx: Ctx, trx: Trx, personId: string) => Promise<void>;
const erasureHooks = new Map<string, ErasureHook>();
export function registerErasureHook(domain: string, hook: ErasureHook) {
  erasureHooks.set(domain, hook);
}

/**
 * Erasure where the law allows (PIPL Art. 47): the data key is dropped, so the sealed identifiers
 * can never be read again, even from backups holding the ciphertext; the blind indexes, birth date,
 * address and notes are cleared and the name pseudonymised. The record itself and its links stay,
 * because other records the law requires us to keep (donations) point at it.
 */
export async function erasePerson(ctx: Ctx, id: string, input: { reason: string; requestRef?: string | undefined }) {
  requirePermission(ctx, 'people.erase');
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    const row = await load(ctx, id);
    if (row.erased_at) throw new DomainError('people.erased');
    await repo.deleteKey(trx, id);
    // Erasure ends whatever processing the person had consented to.
    for (const c of await repo.listConsents(trx, id)) if (!c.withdrawn_at) await repo.withdrawConsent(trx, c.id, now, '个人信息已删除');
    await repo.updatePersonRow(trx, id, {
      name: `已删除-${id.slice(0, 8)}`,
      name_grams: repo.nameGramsOf(`已删除-${id.slice(0, 8)}`),
      id_number_bidx: null,
      id_number_mask: null,
      mobile_bidx: null,
      mobile_mask: null,
      sex: 'U',
      birth_date: null,
      address: null,
      notes: null,
      erased_at: now,
    }, { now });
    for (const hook of erasureHooks.values()) await hook(ctx, trx, id);
    await recordAudit(ctx, { action: 'people.erased', entityType: 'person', entityId: id, unitId: row.org_unit_id, details: { reason: input.reason, requestRef: input.requestRef ?? null } });
    return toPerson((await repo.getPerson(trx, id))!, now);
  });
}
