import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Space, Tag, Tooltip } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { PROJECT_CATEGORIES, PROJECT_KINDS, PROJECT_STATUSES, projectCategoryLabels, projectKindLabels, projectStatusLabels, type Project } from '../projects.contract.ts';
import { formatDate } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { RecordList, type RecordListDeclaration } from '../../../web/records/RecordList.tsx';
import { fetchProjects, projectsKeys } from './projects.api.ts';
import { projectsMessages as m } from './projects.messages.ts';
import { ProjectFormDrawer } from './ProjectFormDrawer.tsx';
import { ProjectStatusTag, RaisedCell } from './ProjectTags.tsx';

/** 项目库: the projects and appeals of the caller's jurisdiction, with raised against goal. */
export function ProjectsListPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);

  const decl: RecordListDeclaration<Project> = {
    queryKey: projectsKeys.list,
    title: m.listTitle,
    testId: 'projects-list',
    formName: 'project-filters',
    rowKey: (p) => p.id,
    filters: [
      { kind: 'text', name: 'q', label: m.searchQ, placeholder: m.searchQPlaceholder, maxLength: 30 },
      { kind: 'select', name: 'status', label: m.status, options: PROJECT_STATUSES.map((s) => ({ value: s, label: projectStatusLabels[s] })) },
      { kind: 'select', name: 'kind', label: m.kind, options: PROJECT_KINDS.map((k) => ({ value: k, label: projectKindLabels[k] })) },
      { kind: 'select', name: 'category', label: m.category, options: PROJECT_CATEGORIES.map((c) => ({ value: c, label: projectCategoryLabels[c] })) },
      { kind: 'select', name: 'brand', label: m.brandProject, options: [{ value: 'true', label: m.brandFilterYes }, { value: 'false', label: m.brandFilterNo }] },
    ],
    primaryFilters: 3,
    sort: {
      default: 'code',
      options: [
        { value: 'code', label: m.sortCode },
        { value: '-code', label: m.sortCodeDesc },
        { value: 'name', label: m.sortName },
        { value: '-createdAt', label: m.sortNewest },
      ],
    },
    pageSize: 50,
    fetch: fetchProjects,
    scrollX: 1280,
    columns: [
      { key: 'code', title: m.code, width: 170, fixed: 'left', pinned: true, sortField: 'code', render: (p) => <span className="boai-mono">{p.code}</span> },
      {
        key: 'name',
        title: m.name,
        width: 260,
        render: (p) => (
          <Space size={4} wrap>
            <Link to={`/projects/${p.id}`}>{p.name}</Link>
            {p.brandProject && <Tag color="gold">{t(m.brandTag)}</Tag>}
          </Space>
        ),
      },
      { key: 'kind', title: m.kind, width: 150, render: (p) => (p.kind === 'appeal' ? <Tag color="red">{t(projectKindLabels.appeal)}</Tag> : t(projectKindLabels.project)) },
      { key: 'category', title: m.category, width: 150, render: (p) => t(projectCategoryLabels[p.category]) },
      { key: 'owner', title: m.ownerUnit, width: 110, render: (p) => p.ownerUnitName },
      { key: 'status', title: m.status, width: 90, render: (p) => <ProjectStatusTag status={p.status} /> },
      {
        key: 'raised',
        title: m.progress,
        width: 230,
        render: (p) => (
          <Tooltip title={t(m.raisedHint)}>
            <div>
              <RaisedCell project={p} />
            </div>
          </Tooltip>
        ),
      },
      { key: 'period', title: m.period, width: 200, render: (p) => (p.periodStart || p.periodEnd ? `${formatDate(p.periodStart, lang)} ~ ${p.periodEnd ? formatDate(p.periodEnd, lang) : ''}` : '—') },
      {
        key: 'actions',
        title: common.actions,
        width: 70,
        fixed: 'right',
        pinned: true,
        render: (p) => (
          <Button type="link" size="small" onClick={() => void navigate(`/projects/${p.id}`)}>
            {t(common.view)}
          </Button>
        ),
      },
    ],
    toolbar: () => [
      {
        key: 'create',
        permission: 'projects.write',
        node: (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="project-new">
            {t(m.newProject)}
          </Button>
        ),
      },
    ],
  };

  return (
    <>
      <RecordList decl={decl} />
      {creating && <ProjectFormDrawer project={null} onClose={() => setCreating(false)} onSaved={(p) => void navigate(`/projects/${p.id}`)} />}
    </>
  );
}
