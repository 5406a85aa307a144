import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { ID_TYPES, idTypeLabels, type IdType, type Person } from '../people.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { idNumberProblem, mobileInvalid, normaliseMobile } from './identity.ts';
import { useLinkPerson, useLookup } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';
import { AgeCell, ErasedTag, Masked } from './PersonTags.tsx';

type By = IdType | 'mobile';
type LookupForm = { by: By; number: string };

/**
 * 按证件号/手机号查找: the exact search by an identifier. The number is checked as it is typed
 * (with the server's rules), sent in a POST body and kept nowhere after the box is cleared.
 */
export function PersonLookupBox() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const can = useHasPermission();
  const lookup = useLookup();
  const link = useLinkPerson();
  const [form] = Form.useForm<LookupForm>();
  const by = Form.useWatch('by', form) ?? 'resident_id';
  // What was looked up, for "link": held only while the result is shown.
  const [asked, setAsked] = useState<{ idType: IdType; idNumber: string } | null>(null);

  const submit = (v: LookupForm) => {
    const number = v.number.trim();
    const body = v.by === 'mobile' ? { idType: 'resident_id' as const, mobile: number } : { idType: v.by, idNumber: number };
    setAsked(v.by === 'mobile' ? null : { idType: v.by, idNumber: number });
    lookup.mutate(body, { onError: (e) => report(e) });
  };

  const clear = () => {
    lookup.reset();
    setAsked(null);
    form.setFieldValue('number', '');
  };

  const result = lookup.data;
  return (
    <div className="boai-lookup" data-testid="person-lookup">
      <Form<LookupForm> form={form} name="person-lookup" layout="inline" initialValues={{ by: 'resident_id', number: '' }} onFinish={submit} autoComplete="off">
        <Form.Item label={t(m.lookupTitle)} name="by">
          <Select<By>
            style={{ width: 200 }}
            aria-label={t(m.lookupBy)}
            options={[...ID_TYPES.map((k) => ({ value: k as By, label: t(idTypeLabels[k]) })), { value: 'mobile' as By, label: t(m.lookupByMobile) }]}
          />
        </Form.Item>
        <Form.Item
          name="number"
          dependencies={['by']}
          rules={[
            { required: true, whitespace: true, message: t(m.lookupRequired) },
            {
              validator: async (_r, v: string | undefined) => {
                if (!v?.trim()) return;
                const kind = form.getFieldValue('by') as By;
                if (kind === 'mobile') {
                  if (!normaliseMobile(v).ok) throw new Error(t(mobileInvalid));
                  return;
                }
                const problem = idNumberProblem(kind, v);
                if (problem) throw new Error(t(problem));
              },
            },
          ]}
        >
          <Input
            allowClear
            className="boai-mono"
            style={{ width: 240 }}
            maxLength={40}
            placeholder={t(by === 'mobile' ? m.lookupPlaceholderMobile : m.lookupPlaceholderId)}
            aria-label={t(m.lookupTitle)}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button htmlType="submit" icon={<SearchOutlined />} loading={lookup.isPending}>
              {t(m.lookupButton)}
            </Button>
            {result && <Button onClick={clear}>{t(m.clear)}</Button>}
          </Space>
        </Form.Item>
      </Form>
      <Typography.Text type="secondary" className="boai-lookup-hint">
        {t(m.lookupHint)}
      </Typography.Text>
      {result && result.items.length > 0 && (
        <Table<Person>
          className="boai-lookup-result"
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={result.items}
          columns={[
            {
              title: t(m.name),
              key: 'name',
              render: (_v, p) => (
                <Space size={4}>
                  <Link to={`/people/${p.id}`}>{p.name}</Link>
                  {p.erased && <ErasedTag />}
                </Space>
              ),
            },
            { title: t(m.idNumberMasked), key: 'id', render: (_v, p) => <Masked value={p.idNumberMasked} /> },
            { title: t(m.age), key: 'age', render: (_v, p) => <AgeCell person={p} /> },
            { title: t(m.mobileMasked), key: 'mobile', render: (_v, p) => <Masked value={p.mobileMasked} /> },
            { title: t(m.unit), dataIndex: 'unitName' },
          ]}
        />
      )}
      {result && result.items.length === 0 && !result.registeredElsewhere && <Alert className="boai-lookup-result" type="info" showIcon title={t(m.lookupNone)} />}
      {result && result.items.length === 0 && result.registeredElsewhere && (
        <Alert
          className="boai-lookup-result"
          type="warning"
          showIcon
          title={t(m.lookupElsewhere)}
          description={t(m.lookupElsewhereHint)}
          action={
            can('people.write') &&
            asked && (
              <Button
                size="small"
                type="primary"
                loading={link.isPending}
                onClick={() =>
                  link.mutate(asked, {
                    onSuccess: (p) => {
                      void message.success(t(m.linked));
                      clear();
                      void navigate(`/people/${p.id}`);
                    },
                    onError: (e) => report(e),
                  })
                }
              >
                {t(m.linkExisting)}
              </Button>
            )
          }
        />
      )}
    </div>
  );
}
