import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { App, Button, Space, Tooltip } from 'antd';
import { DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { ID_TYPES, idTypeLabels, SEXES, sexLabels, type Person } from '../people.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { RecordList, type RecordFilter, type RecordListDeclaration } from '../../../web/records/RecordList.tsx';
import { useOrgDetail } from '../../orgs/web/orgs.api.ts';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { exportPeople, fetchPeople, peopleKeys } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';
import { PersonFormDrawer } from './PersonFormDrawer.tsx';
import { PersonLookupBox } from './PersonLookupBox.tsx';
import { AgeCell, ErasedTag, Masked } from './PersonTags.tsx';

/** 人员管理: the people of the caller's jurisdiction, numbers masked, filters in the address bar. */
export function PeopleListPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const can = useHasPermission();
  const [params] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const unitFilter = params.get('unitId');
  const filterUnit = useOrgDetail(unitFilter && can('orgs.read') ? unitFilter : null);

  const filters: RecordFilter[] = [
    { kind: 'text', name: 'q', label: m.searchQ, placeholder: m.searchQPlaceholder, maxLength: 30 },
    // Units are picked from the org tree: only for those who may read it.
    ...(can('orgs.read')
      ? [{ kind: 'custom' as const, name: 'unitId', label: m.unit, input: <UnitTreeSelect allowClear label={filterUnit.data?.name} placeholder={t(m.unitPlaceholder)} /> }]
      : []),
    { kind: 'select', name: 'idType', label: m.idType, options: ID_TYPES.map((k) => ({ value: k, label: idTypeLabels[k] })) },
    { kind: 'select', name: 'sex', label: m.sex, options: SEXES.map((k) => ({ value: k, label: sexLabels[k] })) },
    {
      kind: 'select',
      name: 'minor',
      label: m.minor,
      options: [
        { value: 'under14', label: m.minorUnder14Option },
        { value: 'under18', label: m.minorUnder18Option },
      ],
    },
  ];

  const decl: RecordListDeclaration<Person> = {
    queryKey: peopleKeys.list,
    title: m.listTitle,
    testId: 'people-list',
    formName: 'people-filters',
    rowKey: (p) => p.id,
    filters,
    primaryFilters: 3,
    sort: {
      default: '-createdAt',
      options: [
        { value: '-createdAt', label: m.sortNewest },
        { value: 'createdAt', label: m.sortOldest },
        { value: 'name', label: m.sortNameAsc },
        { value: '-name', label: m.sortNameDesc },
      ],
    },
    pageSize: 50,
    fetch: fetchPeople,
    scrollX: 1105,
    searchExtra: <PersonLookupBox />,
    columns: [
      {
        key: 'name',
        title: m.name,
        width: 130,
        fixed: 'left',
        pinned: true,
        sortField: 'name',
        render: (p) => (
          <Space size={4}>
            <Link to={`/people/${p.id}`}>{p.name}</Link>
            {p.erased && <ErasedTag />}
          </Space>
        ),
      },
      { key: 'idType', title: m.idType, width: 120, render: (p) => t(idTypeLabels[p.idType]) },
      { key: 'idNumber', title: m.idNumberMasked, width: 175, render: (p) => <Masked value={p.idNumberMasked} /> },
      { key: 'sex', title: m.sex, width: 60, render: (p) => t(sexLabels[p.sex]) },
      { key: 'age', title: m.age, width: 140, render: (p) => <AgeCell person={p} /> },
      { key: 'mobile', title: m.mobileMasked, width: 135, render: (p) => <Masked value={p.mobileMasked} /> },
      { key: 'unit', title: m.unit, width: 110, render: (p) => p.unitName },
      { key: 'createdAt', title: m.createdAt, width: 170, sortField: 'createdAt', render: (p) => formatDateTime(p.createdAt, lang) },
      {
        key: 'actions',
        title: common.actions,
        width: 70,
        fixed: 'right',
        pinned: true,
        render: (p) => (
          <Button type="link" size="small" onClick={() => void navigate(`/people/${p.id}`)}>
            {t(common.view)}
          </Button>
        ),
      },
    ],
    toolbar: (view) => [
      {
        key: 'create',
        permission: 'people.write',
        node: (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t(m.newPerson)}
          </Button>
        ),
      },
      {
        key: 'import',
        permission: 'people.import',
        node: (
          <Button icon={<ImportOutlined />} onClick={() => void navigate('/people/import')}>
            {t(m.import)}
          </Button>
        ),
      },
      {
        key: 'export',
        permission: 'people.export',
        node: (
          <Tooltip title={t(m.exportHint)}>
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              onClick={() => {
                setExporting(true);
                void message.info(t(m.exportStarted));
                exportPeople(view)
                  .catch((e: unknown) => report(e))
                  .finally(() => setExporting(false));
              }}
            >
              {t(m.export)}
            </Button>
          </Tooltip>
        ),
      },
    ],
  };

  return (
    <>
      <RecordList decl={decl} />
      {creating && <PersonFormDrawer person={null} onClose={() => setCreating(false)} onSaved={(p) => void navigate(`/people/${p.id}`)} />}
    </>
  );
}
