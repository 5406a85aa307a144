import dayjs, { type Dayjs } from 'dayjs';
import { App, Button, Col, DatePicker, Divider, Drawer, Form, Input, Radio, Row, Select, Space, Switch, Tag } from 'antd';
import {
  fenToYuan,
  PROJECT_CATEGORIES,
  PROJECT_KINDS,
  projectCategoryLabels,
  projectKindLabels,
  projectStatusLabels,
  yuanToFen,
  type CreateProject,
  type Project,
  type ProjectCategory,
  type ProjectDetail,
  type ProjectKind,
  type UpdateProject,
} from '../projects.contract.ts';
import { ApiError } from '../../../web/api.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useAttachments } from '../../attachments/web/attachments.api.ts';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { useCreateProject, useUpdateProject } from './projects.api.ts';
import { projectsMessages as m } from './projects.messages.ts';

type FormValues = {
  name: string;
  kind: ProjectKind;
  category?: ProjectCategory;
  ownerUnitId?: string;
  status: 'draft' | 'fundraising';
  periodStart?: Dayjs | null;
  periodEnd?: Dayjs | null;
  affectedArea?: string;
  goalYuan?: string;
  beneficiaryGroups?: string[];
  brandProject?: boolean;
  summary?: string;
  publicText?: string;
  internalNotes?: string;
  publicImageId?: string | null;
};

const blankToNull = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);
const dateOf = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const BRAND_ERRORS = new Set(['projects.brand_limit', 'projects.brand_needs_county']);

/** Image attachments of the project, to choose the public one from. */
function PublicImageSelect({ projectId, value, onChange }: { projectId: string; value?: string | null; onChange?: (v: string | null) => void }) {
  const { t } = useI18n();
  const list = useAttachments('project', projectId);
  const images = (list.data ?? []).filter((a) => a.contentType.startsWith('image/'));
  return (
    <Select
      value={value ?? ''}
      onChange={(v: string) => onChange?.(v || null)}
      loading={list.isPending}
      options={[{ value: '', label: t(m.publicImageNone) }, ...images.map((a) => ({ value: a.id, label: a.fileName }))]}
    />
  );
}

/**
 * 新建项目 / 编辑项目, in sections, checked as typed with the server's rules (money in yuan with at
 * most two decimals, turned into whole fen exactly). A closed project keeps only its words editable.
 */
export function ProjectFormDrawer({ project, onClose, onSaved }: { project: ProjectDetail | null; onClose: () => void; onSaved?: (p: Project) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const me = useMe();
  const can = useHasPermission();
  const create = useCreateProject();
  const update = useUpdateProject();
  const [form] = Form.useForm<FormValues>();
  const editing = !!project;
  const closed = project?.status === 'closed';
  const kind: ProjectKind = Form.useWatch('kind', form) ?? project?.kind ?? 'project';
  const appeal = kind === 'appeal';

  const initialValues: Partial<FormValues> = project
    ? {
        name: project.name,
        kind: project.kind,
        category: project.category,
        status: project.status === 'closed' ? 'fundraising' : project.status,
        periodStart: project.periodStart ? dayjs(project.periodStart) : null,
        periodEnd: project.periodEnd ? dayjs(project.periodEnd) : null,
        affectedArea: project.affectedArea ?? '',
        goalYuan: project.goalFen === null ? '' : fenToYuan(project.goalFen).replace(/,/g, ''),
        beneficiaryGroups: project.beneficiaryGroups,
        brandProject: project.brandProject,
        summary: project.summary ?? '',
        publicText: project.publicText ?? '',
        internalNotes: project.internalNotes ?? '',
        publicImageId: project.publicImageId,
      }
    : { kind: 'project', status: 'draft', ownerUnitId: me.user.unitId ?? undefined, brandProject: false, beneficiaryGroups: [] };

  const onError = (e: unknown) => {
    if (e instanceof ApiError && BRAND_ERRORS.has(e.code)) {
      form.setFields([{ name: 'brandProject', errors: [e.message] }]);
      form.scrollToField('brandProject');
    }
    report(e, form);
  };
  const done = (p: Project, text: string) => {
    void message.success(text);
    onClose();
    onSaved?.(p);
  };

  const submit = (v: FormValues) => {
    const goalFen = v.goalYuan?.trim() ? yuanToFen(v.goalYuan) : null;
    const groups = (v.beneficiaryGroups ?? []).map((g) => g.trim()).filter(Boolean);
    if (!project) {
      const body: CreateProject = {
        name: v.name.trim(),
        kind: v.kind,
        category: v.category!,
        status: v.status,
        summary: blankToNull(v.summary),
        periodStart: dateOf(v.periodStart),
        periodEnd: dateOf(v.periodEnd),
        ...(v.kind === 'appeal' ? { affectedArea: blankToNull(v.affectedArea) } : {}),
        goalFen,
        beneficiaryGroups: groups,
        brandProject: !!v.brandProject,
        publicText: blankToNull(v.publicText),
        internalNotes: blankToNull(v.internalNotes),
        ...(v.ownerUnitId ? { ownerUnitId: v.ownerUnitId } : {}),
      };
      create.mutate(body, { onSuccess: (p) => done(p, t(m.created)), onError });
      return;
    }
    // Only what changed travels, with the version the user saw.
    const body: UpdateProject = { version: project.version };
    const set = <K extends keyof UpdateProject>(k: K, next: UpdateProject[K], prev: unknown) => {
      if (JSON.stringify(next ?? null) !== JSON.stringify(prev ?? null)) body[k] = next;
    };
    set('summary', blankToNull(v.summary), project.summary);
    set('publicText', blankToNull(v.publicText), project.publicText);
    set('internalNotes', blankToNull(v.internalNotes), project.internalNotes);
    set('publicImageId', v.publicImageId ?? null, project.publicImageId);
    if (!closed) {
      set('name', v.name.trim(), project.name);
      set('category', v.category, project.category);
      set('periodStart', dateOf(v.periodStart), project.periodStart);
      set('periodEnd', dateOf(v.periodEnd), project.periodEnd);
      if (appeal) set('affectedArea', blankToNull(v.affectedArea), project.affectedArea);
      set('goalFen', goalFen, project.goalFen);
      set('beneficiaryGroups', groups, project.beneficiaryGroups);
      set('brandProject', !!v.brandProject, project.brandProject);
      set('status', v.status, project.status);
    }
    if (Object.keys(body).length === 1) {
      void message.info(t(m.noChanges));
      onClose();
      return;
    }
    update.mutate({ id: project.id, body }, { onSuccess: (p) => done(p, t(common.saved)), onError });
  };

  const locked = closed;
  return (
    <Drawer
      open
      size={720}
      title={project ? t(m.editProject) : t(m.newProjectTitle)}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t(common.cancel)}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()} data-testid="project-save">
            {t(common.save)}
          </Button>
        </Space>
      }
    >
      <Form<FormValues> form={form} name="project" layout="vertical" initialValues={initialValues} onFinish={submit} autoComplete="off" scrollToFirstError>
        <Divider titlePlacement="start">{t(m.sectionBasic)}</Divider>
        <Form.Item name="kind" label={t(m.kind)} rules={[{ required: true }]}>
          <Radio.Group disabled={editing} options={PROJECT_KINDS.map((k) => ({ value: k, label: t(projectKindLabels[k]) }))} />
        </Form.Item>
        <Form.Item name="name" label={t(m.name)} rules={[{ required: true, whitespace: true, message: t(m.nameRequired) }, { max: 60, message: '项目名称不超过 60 个字' }]}>
          <Input maxLength={60} showCount disabled={locked} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="category" label={t(m.category)} rules={[{ required: true, message: t(m.categoryRequired) }]}>
              <Select disabled={locked} options={PROJECT_CATEGORIES.map((c) => ({ value: c, label: t(projectCategoryLabels[c]) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            {editing ? (
              <Form.Item label={t(m.ownerUnit)}>
                <Tag>{project.ownerUnitName}</Tag>
              </Form.Item>
            ) : can('orgs.read') ? (
              <Form.Item name="ownerUnitId" label={t(m.ownerUnit)} rules={[{ required: true }]}>
                <UnitTreeSelect label={me.user.unitName} />
              </Form.Item>
            ) : (
              <Form.Item label={t(m.ownerUnit)}>
                <Tag>{me.user.unitName}</Tag>
              </Form.Item>
            )}
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="periodStart" label={appeal ? t(m.appealStart) : t(m.periodStart)} rules={[{ required: appeal, message: '专项募捐须填写启动日期' }]}>
              <DatePicker style={{ width: '100%' }} disabled={locked} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="periodEnd"
              label={t(m.periodEnd)}
              dependencies={['periodStart']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_r, v: Dayjs | null | undefined) => {
                    const start = getFieldValue('periodStart') as Dayjs | null | undefined;
                    if (v && start && v.isBefore(start, 'day')) throw new Error('结束日期不能早于开始日期');
                  },
                }),
              ]}
            >
              <DatePicker style={{ width: '100%' }} disabled={locked} />
            </Form.Item>
          </Col>
        </Row>
        {appeal && (
          <Form.Item name="affectedArea" label={t(m.affectedArea)} rules={[{ required: true, whitespace: true, message: '专项募捐须填写受灾地区' }, { max: 100, message: '受灾地区不超过 100 个字' }]}>
            <Input maxLength={100} disabled={locked} />
          </Form.Item>
        )}
        <Form.Item name="summary" label={t(m.summary)} rules={[{ max: 500, message: '项目简介不超过 500 个字' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>

        <Divider titlePlacement="start">{t(m.sectionFundraising)}</Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="goalYuan"
              label={t(m.goal)}
              rules={[
                {
                  validator: async (_r, v: string | undefined) => {
                    if (v?.trim() && yuanToFen(v) === null) throw new Error(t(m.goalInvalid));
                  },
                },
              ]}
            >
              <Input prefix="¥" inputMode="decimal" className="boai-mono" placeholder={t(m.noGoal)} disabled={locked} data-testid="goal-input" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="status" label={t(m.status)}>
              <Radio.Group disabled={locked} options={(['draft', 'fundraising'] as const).map((s) => ({ value: s, label: t(projectStatusLabels[s]) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="beneficiaryGroups"
          label={t(m.beneficiaryGroups)}
          rules={[
            {
              validator: async (_r, v: string[] | undefined) => {
                if ((v ?? []).length > 20) throw new Error('受益群体最多 20 个');
                if ((v ?? []).some((g) => g.trim().length > 30)) throw new Error('每个受益群体不超过 30 个字');
              },
            },
          ]}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} placeholder={t(m.beneficiaryPlaceholder)} disabled={locked} />
        </Form.Item>
        <Form.Item name="brandProject" label={t(m.brandProject)} valuePropName="checked" extra={t(m.brandHelp)}>
          <Switch disabled={locked} data-testid="brand-switch" />
        </Form.Item>

        <Divider titlePlacement="start">{t(m.sectionPublic)}</Divider>
        <Form.Item name="publicText" label={t(m.publicText)} extra={t(m.publicTextHelp)} rules={[{ max: 5000, message: '公开介绍不超过 5000 个字' }]}>
          <Input.TextArea rows={5} maxLength={5000} showCount />
        </Form.Item>
        {editing && (
          <Form.Item name="publicImageId" label={t(m.publicImage)} extra={t(m.publicImageHelp)}>
            <PublicImageSelect projectId={project.id} />
          </Form.Item>
        )}
        <Form.Item name="internalNotes" label={t(m.internalNotes)} extra={t(m.internalNotesHelp)} rules={[{ max: 2000, message: '内部备注不超过 2000 个字' }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
