import { Alert, App, Button, Drawer, Form, Input, Select, Space, Tag } from 'antd';
import { adminKindLabels, type AdminKind, type Role, type UpdateUserBody, type User } from '../accounts.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { useCreateUser, useUpdateUser, type OneTimePasswordResult } from './accounts.api.ts';
import { accountsMessages as m } from './accounts.messages.ts';

type UserForm = { username: string; displayName: string; unitId: string; roles: string[] };

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,39}$/;

/** The administrator duties a set of roles combines; more than one is refused (三权分立). */
export function adminKindsOf(roles: Role[], codes: readonly string[]): AdminKind[] {
  return [...new Set(roles.filter((r) => codes.includes(r.code) && r.adminKind).map((r) => r.adminKind!))];
}

export function UserFormDrawer({
  user,
  roles,
  onClose,
  onCreated,
}: {
  user: User | null;
  roles: Role[];
  onClose: () => void;
  onCreated: (r: OneTimePasswordResult) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const create = useCreateUser();
  const update = useUpdateUser();
  const [form] = Form.useForm<UserForm>();
  const chosen: string[] = Form.useWatch('roles', form) ?? user?.roles ?? [];
  const kinds = adminKindsOf(roles, chosen);

  const submit = (v: UserForm) => {
    if (!user) {
      create.mutate(
        { username: v.username.trim().toLowerCase(), displayName: v.displayName.trim(), unitId: v.unitId, roles: v.roles },
        {
          onSuccess: (r) => {
            void message.success(t(m.userCreated));
            onClose();
            onCreated(r);
          },
          onError: (e) => report(e, form),
        },
      );
      return;
    }
    const body: UpdateUserBody = { version: user.version };
    if (v.displayName.trim() !== user.displayName) body.displayName = v.displayName.trim();
    if (v.unitId !== user.unitId) body.unitId = v.unitId;
    if ([...v.roles].sort().join() !== [...user.roles].sort().join()) body.roles = v.roles;
    if (Object.keys(body).length === 1) {
      onClose();
      return;
    }
    update.mutate(
      { id: user.id, body },
      {
        onSuccess: () => {
          void message.success(t(common.saved));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  };

  const roleOptions = [
    { label: t(m.adminKind), options: roles.filter((r) => r.adminKind) },
    { label: t(m.businessCategory), options: roles.filter((r) => !r.adminKind) },
  ]
    .filter((g) => g.options.length > 0)
    .map((g) => ({
      label: g.label,
      options: g.options.map((r) => ({
        value: r.code,
        label: (
          <Space size={4}>
            <span>{lang === 'en' ? r.nameEn : r.nameZh}</span>
            {r.adminKind && <Tag color="volcano">{t(adminKindLabels[r.adminKind])}</Tag>}
          </Space>
        ),
      })),
    }));

  return (
    <Drawer
      open
      size={560}
      title={user ? t(m.editUser) : t(m.newUser)}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t(common.cancel)}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()}>
            {t(common.save)}
          </Button>
        </Space>
      }
    >
      <Form<UserForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={user ? { username: user.username, displayName: user.displayName, unitId: user.unitId, roles: user.roles } : { roles: [] }}
      >
        <Form.Item
          name="username"
          label={t(m.username)}
          extra={user ? undefined : t(m.usernameHelp)}
          rules={[
            { required: true, message: t(m.usernameRequired) },
            { pattern: USERNAME, message: t(m.usernameInvalid) },
          ]}
          normalize={(v: string) => v.toLowerCase()}
        >
          <Input disabled={!!user} maxLength={40} className="boai-mono" autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t(m.displayName)} rules={[{ required: true, whitespace: true, message: t(m.displayNameRequired) }, { max: 50 }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="unitId" label={t(m.unit)} extra={t(m.unitHelp)} rules={[{ required: true, message: t(m.unitRequired) }]}>
          <UnitTreeSelect label={user?.unitName} placeholder={t(m.unitPlaceholder)} />
        </Form.Item>
        <Form.Item name="roles" label={t(m.roles)} extra={t(m.rolesHelp)} rules={[{ required: true, type: 'array', min: 1, message: t(m.rolesRequired) }]}>
          <Select mode="multiple" options={roleOptions} optionFilterProp="value" />
        </Form.Item>
        {kinds.length > 1 && (
          <Alert
            type="error"
            showIcon
            title={t(m.separationTitle)}
            description={t(m.separationViolation, { kinds: kinds.map((k) => t(adminKindLabels[k])).join(lang === 'en' ? ', ' : '、') })}
          />
        )}
      </Form>
    </Drawer>
  );
}
