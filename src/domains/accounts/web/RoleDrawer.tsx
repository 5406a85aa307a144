import { Alert, App, Button, Checkbox, Divider, Drawer, Form, Input, Space, Tag, Typography } from 'antd';
import { ADMIN_KINDS, adminKindLabels, type AdminKind, type CreateRoleBody, type Role, type UpdateRoleBody } from '../accounts.contract.ts';
import type { Text } from '../../../platform/i18n.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useCreateRole, useUpdateRole, type PermissionInfo } from './accounts.api.ts';
import { accountsMessages as m } from './accounts.messages.ts';

type RoleForm = { code: string; nameZh: string; nameEn: string; description?: string; permissions: string[] };

export const adminKindColor = { system: 'volcano', security: 'gold', audit: 'purple' } as const;

const ROLE_CODE = /^[a-z][a-z0-9_]{1,40}$/;

const domainLabels: Record<string, Text> = { orgs: m.domainOrgs, accounts: m.domainAccounts, audit: m.domainAudit };

function isAdminKind(c: string): c is AdminKind {
  return (ADMIN_KINDS as readonly string[]).includes(c);
}

/** Create or edit a role; its permissions as checkboxes by domain, the administrator duties marked. */
export function RoleDrawer({ role, catalog, readOnly, onClose }: { role: Role | null; catalog: PermissionInfo[]; readOnly: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const create = useCreateRole();
  const update = useUpdateRole();
  const [form] = Form.useForm<RoleForm>();
  const chosen: string[] = Form.useWatch('permissions', form) ?? role?.permissions ?? [];
  const kinds = [...new Set(catalog.filter((p) => chosen.includes(p.code) && isAdminKind(p.category)).map((p) => p.category as AdminKind))];

  const domains = [...new Set(catalog.map((p) => p.domain))];

  const submit = (v: RoleForm) => {
    const description = v.description?.trim() ? v.description.trim() : null;
    if (!role) {
      const body: CreateRoleBody = { code: v.code.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), description, permissions: v.permissions };
      create.mutate(body, {
        onSuccess: () => {
          void message.success(t(m.roleCreated));
          onClose();
        },
        onError: (e) => report(e, form),
      });
      return;
    }
    const body: UpdateRoleBody = { version: role.version };
    if (v.nameZh.trim() !== role.nameZh) body.nameZh = v.nameZh.trim();
    if (v.nameEn.trim() !== role.nameEn) body.nameEn = v.nameEn.trim();
    if (description !== role.description) body.description = description;
    if ([...v.permissions].sort().join() !== [...role.permissions].sort().join()) body.permissions = v.permissions;
    if (Object.keys(body).length === 1) {
      onClose();
      return;
    }
    update.mutate(
      { id: role.id, body },
      {
        onSuccess: () => {
          void message.success(t(common.saved));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  };

  return (
    <Drawer
      open
      size={640}
      title={readOnly ? t(m.viewRole) : role ? t(m.editRole) : t(m.newRole)}
      onClose={onClose}
      destroyOnHidden
      footer={
        readOnly ? (
          <Button style={{ float: 'right' }} onClick={onClose}>
            {t(common.close)}
          </Button>
        ) : (
          <Space style={{ float: 'right' }}>
            <Button onClick={onClose}>{t(common.cancel)}</Button>
            <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()}>
              {t(common.save)}
            </Button>
          </Space>
        )
      }
    >
      <Form<RoleForm>
        form={form}
        layout="vertical"
        disabled={readOnly}
        onFinish={submit}
        initialValues={
          role
            ? { code: role.code, nameZh: role.nameZh, nameEn: role.nameEn, description: role.description ?? '', permissions: role.permissions }
            : { permissions: [] }
        }
      >
        <Form.Item
          name="code"
          label={t(m.roleCode)}
          extra={role ? undefined : t(m.roleCodeHelp)}
          rules={[
            { required: true, message: t(m.roleCodeInvalid) },
            { pattern: ROLE_CODE, message: t(m.roleCodeInvalid) },
          ]}
        >
          <Input disabled={!!role || readOnly} maxLength={41} className="boai-mono" />
        </Form.Item>
        <Form.Item name="nameZh" label={t(m.nameZh)} rules={[{ required: true, whitespace: true, message: t(m.nameZhRequired) }, { max: 30 }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="nameEn" label={t(m.nameEn)} rules={[{ required: true, whitespace: true, message: t(m.nameEnRequired) }, { max: 60 }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="description" label={t(m.description)} rules={[{ max: 200 }]}>
          <Input.TextArea maxLength={200} rows={2} />
        </Form.Item>
        <Typography.Text strong>{t(m.permissions)}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
          {t(m.separationText)}
        </Typography.Paragraph>
        {kinds.length > 1 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(m.separationTitle)}
            description={t(m.separationViolation, { kinds: kinds.map((k) => t(adminKindLabels[k])).join(lang === 'en' ? ', ' : '、') })}
          />
        )}
        <Form.Item name="permissions">
          <Checkbox.Group style={{ display: 'block' }}>
            {domains.map((d) => (
              <div key={d} className="boai-perm-group">
                <Divider titlePlacement="start" plain style={{ margin: '8px 0' }}>
                  {domainLabels[d] ? t(domainLabels[d]) : d}
                </Divider>
                {catalog
                  .filter((p) => p.domain === d)
                  .map((p) => (
                    <div key={p.code} className="boai-perm-item">
                      <Checkbox value={p.code}>
                        <Space size={6} wrap>
                          <span>{lang === 'en' ? p.en : p.zh}</span>
                          {isAdminKind(p.category) && <Tag color={adminKindColor[p.category]}>{t(adminKindLabels[p.category])}</Tag>}
                          <Typography.Text type="secondary" className="boai-mono" style={{ fontSize: 12 }}>
                            {p.code}
                          </Typography.Text>
                        </Space>
                      </Checkbox>
                    </div>
                  ))}
              </div>
            ))}
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
