import { useState } from 'react';
import { useNavigate } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, App, Button, Checkbox, Col, DatePicker, Divider, Drawer, Form, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { ID_TYPES, idTypeLabels, sexLabels, type CreatePerson, type IdType, type Person, type PersonDetail, type UpdatePerson } from '../people.contract.ts';
import { ApiError, newIdempotencyKey } from '../../../web/api.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { labelled } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { ageOn, derivedFromResidentId, idNumberProblem, mobileInvalid, normaliseMobile } from './identity.ts';
import { useCreatePerson, useLinkPerson, useUpdatePerson } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';
import { PersonPicker } from './PersonPicker.tsx';

type PersonForm = {
  name: string;
  idType: IdType;
  idNumber?: string;
  sex?: 'M' | 'F' | 'U';
  birthDate?: Dayjs | null;
  mobile?: string;
  clearMobile?: boolean;
  address?: string;
  homeUnitId?: string | null;
  unitId?: string;
  guardianId?: string;
  guardianRelation?: string;
  notes?: string;
};

const blankToNull = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

/**
 * 登记人员 / 编辑人员信息, in sections. Numbers are checked as they are typed with the server's own
 * rules; for a resident ID the sex and birth date are read from the number and only shown. In
 * edit mode the numbers on record are never shown: a new one replaces them, blank keeps them.
 */
export function PersonFormDrawer({ person, onClose, onSaved }: { person: PersonDetail | null; onClose: () => void; onSaved?: (p: Person) => void }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const can = useHasPermission();
  const orgs = can('orgs.read');
  const create = useCreatePerson();
  const update = useUpdatePerson();
  const link = useLinkPerson();
  const [form] = Form.useForm<PersonForm>();
  // One key per registration form: a retry after a lost answer replays instead of registering twice;
  // a refused attempt releases the key on the server, so the corrected form may reuse it.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const editing = !!person;

  const idType: IdType = Form.useWatch('idType', form) ?? person?.idType ?? 'resident_id';
  const idNumber: string | undefined = Form.useWatch('idNumber', form);
  const birthDate: Dayjs | null | undefined = Form.useWatch('birthDate', form);
  const guardianId: string | undefined = Form.useWatch('guardianId', form);
  const resident = idType === 'resident_id';
  const derived = resident ? derivedFromResidentId(idNumber) : null;
  const typeChanged = editing && idType !== person.idType;
  const age = derived ? derived.age : !resident && birthDate ? ageOn(birthDate.format('YYYY-MM-DD'), new Date()) : editing ? person.age : null;

  const initialValues: Partial<PersonForm> = person
    ? { name: person.name, idType: person.idType, sex: person.sex, address: person.address ?? '', homeUnitId: person.homeUnitId, notes: person.notes ?? '' }
    : { idType: 'resident_id', unitId: me.user.unitId ?? undefined };

  const onCreateError = (e: unknown, body: CreatePerson) => {
    if (e instanceof ApiError && e.code === 'people.duplicate') {
      const personId = (e.details as { personId?: string } | undefined)?.personId;
      modal.confirm({
        title: t(m.duplicateTitle),
        content: e.message,
        okText: t(m.duplicateOpen),
        cancelText: t(common.cancel),
        okButtonProps: { disabled: !personId },
        onOk: () => {
          onClose();
          void navigate(`/people/${personId}`);
        },
      });
      return;
    }
    if (e instanceof ApiError && e.code === 'people.registered_elsewhere' && body.idNumber) {
      const doc = { idType: body.idType, idNumber: body.idNumber };
      modal.confirm({
        title: t(m.elsewhereTitle),
        content: e.message,
        okText: t(m.linkExisting),
        cancelText: t(common.cancel),
        onOk: () =>
          link.mutateAsync(doc).then(
            (p) => {
              void message.success(t(m.linked));
              onClose();
              void navigate(`/people/${p.id}`);
            },
            (err: unknown) => report(err),
          ),
      });
      return;
    }
    report(e, form);
  };

  const submit = (v: PersonForm) => {
    const number = blankToNull(v.idNumber);
    const mobile = blankToNull(v.mobile);
    const ownSexAndBirth = v.idType !== 'resident_id';
    if (!person) {
      const body: CreatePerson = {
        name: v.name.trim(),
        idType: v.idType,
        idNumber: number,
        mobile,
        address: blankToNull(v.address),
        notes: blankToNull(v.notes),
        ...(ownSexAndBirth ? { sex: v.sex ?? null, birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : null } : {}),
        ...(v.homeUnitId ? { homeUnitId: v.homeUnitId } : {}),
        ...(v.unitId ? { unitId: v.unitId } : {}),
        ...(v.guardianId ? { guardian: { personId: v.guardianId, relation: (v.guardianRelation ?? '').trim() } } : {}),
      };
      create.mutate(
        { body, key: idempotencyKey },
        {
          onSuccess: (p) => {
            void message.success(t(m.created));
            onClose();
            onSaved?.(p);
          },
          onError: (e) => onCreateError(e, body),
        },
      );
      return;
    }
    // Only what changed travels, with the version the user saw (a concurrent change is refused).
    const body: UpdatePerson = { version: person.version };
    if (v.name.trim() !== person.name) body.name = v.name.trim();
    if (v.idType !== person.idType) body.idType = v.idType;
    if (number) body.idNumber = number;
    if (v.clearMobile) body.mobile = null;
    else if (mobile) body.mobile = mobile;
    if (blankToNull(v.address) !== person.address) body.address = blankToNull(v.address);
    if ((v.homeUnitId ?? null) !== person.homeUnitId) body.homeUnitId = v.homeUnitId ?? null;
    if (blankToNull(v.notes) !== person.notes) body.notes = blankToNull(v.notes);
    if (ownSexAndBirth) {
      if (v.sex && v.sex !== person.sex) body.sex = v.sex;
      if (v.birthDate) body.birthDate = v.birthDate.format('YYYY-MM-DD');
    }
    if (Object.keys(body).length === 1) {
      void message.info(t(m.noChanges));
      onClose();
      return;
    }
    update.mutate(
      { id: person.id, body },
      {
        onSuccess: (p) => {
          void message.success(t(common.saved));
          onClose();
          onSaved?.(p);
        },
        onError: (e) => report(e, form),
      },
    );
  };

  const sexBirthReadOnly = (
    <Row gutter={16}>
      <Col span={8}>
        <Form.Item label={t(m.sex)} extra={t(m.derivedHelp)}>
          <Input readOnly value={derived ? t(sexLabels[derived.sex]) : editing && !idNumber ? t(sexLabels[person.sex]) : ''} placeholder={t(m.derivedPending)} data-testid="derived-sex" />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item label={t(m.birthDate)}>
          <Input readOnly value={derived ? derived.birthDate : editing && !idNumber ? t(m.derivedKeep) : ''} placeholder={t(m.derivedPending)} data-testid="derived-birth" />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item label={t(m.age)}>
          <Input readOnly value={age !== null && age !== undefined ? t(m.ageValue, { age }) : ''} placeholder={t(m.derivedPending)} />
        </Form.Item>
      </Col>
    </Row>
  );

  return (
    <Drawer
      open
      size={640}
      title={person ? t(m.editPerson) : t(m.newPersonTitle)}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t(common.cancel)}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()} data-testid="person-save">
            {t(common.save)}
          </Button>
        </Space>
      }
    >
      <Form<PersonForm> form={form} name="person" layout="vertical" initialValues={initialValues} onFinish={submit} autoComplete="off" scrollToFirstError>
        <Divider titlePlacement="start">{t(m.sectionIdentity)}</Divider>
        <Form.Item name="name" label={t(m.name)} rules={[{ required: true, whitespace: true, message: t(m.nameRequired) }, { max: 50, message: t(m.nameTooLong) }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="idType" label={t(m.idType)} rules={[{ required: true, message: t(m.idTypeRequired) }]}>
              <Select options={ID_TYPES.map((k) => ({ value: k, label: t(idTypeLabels[k]) }))} />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item
              name="idNumber"
              label={t(m.idNumber)}
              required={editing ? typeChanged : resident}
              dependencies={['idType']}
              normalize={(v: string) => v.toUpperCase()}
              extra={editing && person.idNumberMasked && !typeChanged ? t(m.idNumberKeep, { masked: person.idNumberMasked }) : undefined}
              rules={[
                // Read at validation time: the rule follows the document type chosen a moment ago.
                ({ getFieldValue }) => {
                  const type = getFieldValue('idType') as IdType;
                  const changed = editing && type !== person.idType;
                  return { required: editing ? changed : type === 'resident_id', whitespace: true, message: t(changed ? m.idNumberChangeType : m.idNumberRequired) };
                },
                {
                  validator: async (_r, v: string | undefined) => {
                    if (!v?.trim()) return;
                    const problem = idNumberProblem(form.getFieldValue('idType') as IdType, v);
                    if (problem) throw new Error(t(problem));
                  },
                },
              ]}
            >
              <Input maxLength={40} className="boai-mono" autoComplete="off" data-testid="id-number" />
            </Form.Item>
          </Col>
        </Row>
        {resident ? (
          sexBirthReadOnly
        ) : (
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="sex" label={t(m.sex)}>
                <Select allowClear options={(['M', 'F', 'U'] as const).map((s) => ({ value: s, label: t(sexLabels[s]) }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="birthDate" label={t(m.birthDate)} extra={editing ? t(m.keepBlank) : undefined}>
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.year() < 1900} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item label={t(m.age)}>
                <Input readOnly value={age !== null && age !== undefined ? t(m.ageValue, { age }) : ''} />
              </Form.Item>
            </Col>
          </Row>
        )}
        {age !== null && age !== undefined && age < 18 && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t(m.minorNotice, { age: age < 14 ? 14 : 18 })} />
        )}

        <Divider titlePlacement="start">{t(m.sectionContact)}</Divider>
        <Form.Item
          name="mobile"
          label={t(m.mobile)}
          extra={editing && person.mobileMasked ? t(m.mobileKeep, { masked: person.mobileMasked }) : undefined}
          rules={[
            {
              validator: async (_r, v: string | undefined) => {
                if (v?.trim() && !normaliseMobile(v).ok) throw new Error(t(mobileInvalid));
              },
            },
          ]}
        >
          <Input maxLength={20} className="boai-mono" autoComplete="off" inputMode="tel" />
        </Form.Item>
        {editing && person.mobileMasked && (
          <Form.Item name="clearMobile" valuePropName="checked" style={{ marginTop: -12 }}>
            <Checkbox>{t(m.mobileClear)}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="address" label={t(m.address)} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        {orgs && (
          <Form.Item name="homeUnitId" label={t(m.homeUnit)} extra={t(m.homeUnitHelp)}>
            <UnitTreeSelect allowClear label={person?.homeUnitName ?? undefined} />
          </Form.Item>
        )}

        {!editing && (
          <>
            <Divider titlePlacement="start">{t(m.sectionRegistration)}</Divider>
            {orgs ? (
              <Form.Item name="unitId" label={t(m.unit)} extra={t(m.unitHelp)} rules={[{ required: true }]}>
                <UnitTreeSelect label={me.user.unitName} />
              </Form.Item>
            ) : (
              <Form.Item label={t(m.unit)} extra={t(m.unitHelp)}>
                <Tag>{me.user.unitName}</Tag>
              </Form.Item>
            )}
            <Divider titlePlacement="start">{t(m.sectionGuardian)}</Divider>
            {age !== null && age !== undefined && age < 14 && !guardianId && (
              <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t(m.guardianRequiredMinor)} />
            )}
            <Row gutter={16}>
              <Col span={16}>
                <Form.Item name="guardianId" label={t(m.guardianPerson)}>
                  <PersonPicker adultsOnly placeholder={t(m.guardianPlaceholder)} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item
                  name="guardianRelation"
                  label={t(m.relation)}
                  dependencies={['guardianId']}
                  rules={[{ required: !!guardianId, whitespace: true, message: t(m.relationRequired) }, { max: 20 }]}
                >
                  <Input maxLength={20} placeholder={t(m.relationPlaceholder)} disabled={!guardianId} />
                </Form.Item>
              </Col>
            </Row>
          </>
        )}

        <Divider titlePlacement="start">{t(m.sectionOther)}</Divider>
        <Form.Item name="notes" label={t(m.notes)} rules={[{ max: 1000 }]}>
          <Input.TextArea maxLength={1000} rows={3} showCount />
        </Form.Item>
        {editing && (
          <Typography.Text type="secondary">
            {labelled(t(m.unit), person.unitName, lang)}
          </Typography.Text>
        )}
      </Form>
    </Drawer>
  );
}
