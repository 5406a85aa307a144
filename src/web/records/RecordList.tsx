import { useMemo, useState, type ReactElement, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Col, Dropdown, Form, Input, Row, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { DownOutlined, ReloadOutlined, SearchOutlined, SettingOutlined, UpOutlined } from '@ant-design/icons';
import type { Text } from '../../platform/i18n.ts';
import { useHasPermission } from '../auth.tsx';
import { useI18n } from '../i18n.tsx';
import { common } from '../messages.ts';
import { recordsMessages as m } from './records.messages.ts';

/**
 * A list page from a declaration (DESIGN.md §8): the search form above the table (collapsible),
 * a toolbar with the page's buttons (each shown only with its permission), the table with column
 * settings, keyset "load more", and the filters and sort kept in the address bar, so that a view
 * can be bookmarked or sent to a colleague. The page says what to show; this draws it the same
 * way everywhere.
 */

export type FilterOption = { value: string; label: Text };

export type RecordFilter =
  | { kind: 'text'; name: string; label: Text; placeholder?: Text; maxLength?: number }
  | { kind: 'select'; name: string; label: Text; options: readonly FilterOption[]; placeholder?: Text }
  /** Any input taking `value`/`onChange` of a string id (a unit tree select, …). */
  | { kind: 'custom'; name: string; label: Text; input: ReactElement };

export type RecordColumn<T> = {
  key: string;
  title: Text;
  render: (row: T) => ReactNode;
  width?: number;
  align?: 'left' | 'right' | 'center';
  fixed?: 'left' | 'right';
  /** The sort value this column's header toggles (`name` ⇄ `-name`). */
  sortField?: string;
  /** Always shown (the column settings cannot hide it). */
  pinned?: boolean;
};

/** What the list currently shows, as read from the address bar. */
export type ListView = { filters: Record<string, string>; sort: string | undefined };

export type ListPage<T> = { items: T[]; nextCursor: string | null };

export type ToolbarItem = { key: string; node: ReactNode; permission?: string };

export type RecordListDeclaration<T> = {
  /** Query-cache key prefix; the view is appended. */
  queryKey: readonly unknown[];
  title: Text;
  rowKey: (row: T) => string;
  columns: readonly RecordColumn<T>[];
  filters?: readonly RecordFilter[];
  /** How many filters stay visible while the search form is collapsed. */
  primaryFilters?: number;
  sort?: { options: readonly FilterOption[]; default: string };
  pageSize?: number;
  fetch: (p: ListView & { cursor: string | undefined; limit: number; signal: AbortSignal }) => Promise<ListPage<T>>;
  toolbar?: (view: ListView) => readonly ToolbarItem[];
  /** Shown in the search card below the filters (an exact lookup, …). */
  searchExtra?: ReactNode;
  scrollX?: number;
  emptyText?: Text;
  testId?: string;
  /** Prefix of the filter inputs' ids (unique on the page). */
  formName?: string;
};

type FormValues = Record<string, string | undefined>;

/** The view in the address bar, with anything a filter would not accept dropped (a hand-edited link). */
export function viewFrom<T>(decl: Pick<RecordListDeclaration<T>, 'filters' | 'sort'>, params: URLSearchParams): ListView {
  const filters: Record<string, string> = {};
  for (const f of decl.filters ?? []) {
    const raw = params.get(f.name)?.trim();
    if (!raw) continue;
    if (f.kind === 'select' && !f.options.some((o) => o.value === raw)) continue;
    filters[f.name] = f.kind === 'text' && f.maxLength ? raw.slice(0, f.maxLength) : raw;
  }
  const sortRaw = params.get('sort');
  const sort = decl.sort && sortRaw && decl.sort.options.some((o) => o.value === sortRaw) ? sortRaw : decl.sort?.default;
  return { filters, sort };
}

function paramsFrom(view: ListView, defaultSort: string | undefined): URLSearchParams {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(view.filters)) if (v) next.set(k, v);
  if (view.sort && view.sort !== defaultSort) next.set('sort', view.sort);
  return next;
}

export function RecordList<T extends object>({ decl }: { decl: RecordListDeclaration<T> }) {
  const { t } = useI18n();
  const can = useHasPermission();
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => viewFrom(decl, params), [decl, params]);
  const filters = decl.filters ?? [];
  const primary = decl.primaryFilters ?? 3;
  const advancedActive = filters.slice(primary).some((f) => view.filters[f.name]);
  const [expanded, setExpanded] = useState(advancedActive);
  const [hidden, setHidden] = useState<string[]>([]);
  const [form] = Form.useForm<FormValues>();
  const pageSize = decl.pageSize ?? 50;

  const list = useInfiniteQuery({
    queryKey: [...decl.queryKey, view],
    queryFn: ({ pageParam, signal }) => decl.fetch({ ...view, cursor: pageParam, limit: pageSize, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const apply = (v: FormValues) => {
    const next: Record<string, string> = {};
    for (const f of filters) {
      const value = v[f.name]?.trim();
      if (value) next[f.name] = value;
    }
    setParams(paramsFrom({ filters: next, sort: view.sort }, decl.sort?.default));
  };
  const setSort = (sort: string | undefined) => setParams(paramsFrom({ filters: view.filters, sort: sort ?? decl.sort?.default }, decl.sort?.default));

  const shownFilters = expanded ? filters : filters.slice(0, primary);
  const activeCount = Object.keys(view.filters).length;

  const columns: TableColumnsType<T> = decl.columns
    .filter((c) => c.pinned || !hidden.includes(c.key))
    .map((c) => {
      const sortOrder = c.sortField ? (view.sort === c.sortField ? 'ascend' : view.sort === `-${c.sortField}` ? 'descend' : null) : undefined;
      return {
        key: c.key,
        title: t(c.title),
        width: c.width,
        align: c.align,
        fixed: c.fixed,
        render: (_v: unknown, row: T) => c.render(row),
        ...(c.sortField ? { sorter: true, sortOrder, sortDirections: ['ascend', 'descend', 'ascend'] as const } : {}),
      };
    }) as TableColumnsType<T>;

  const onTableChange: TableProps<T>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const col = decl.columns.find((c) => c.key === s?.columnKey);
    if (!col?.sortField) return;
    setSort(s?.order === 'descend' ? `-${col.sortField}` : s?.order === 'ascend' ? col.sortField : undefined);
  };

  const toolbar = (decl.toolbar?.(view) ?? []).filter((i) => can(i.permission));
  const hideable = decl.columns.filter((c) => !c.pinned);

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid={decl.testId}>
      {(filters.length > 0 || decl.searchExtra) && (
        <Card className="boai-search-card" size="small">
          {filters.length > 0 && (
            <Form<FormValues> form={form} name={decl.formName ?? 'filters'} layout="vertical" initialValues={view.filters} key={params.toString()} onFinish={apply}>
              <Row gutter={16} align="bottom">
                {shownFilters.map((f) => (
                  <Col key={f.name} xs={24} sm={12} lg={8} xl={6}>
                    <Form.Item name={f.name} label={t(f.label)}>
                      {f.kind === 'text' ? (
                        <Input allowClear maxLength={f.maxLength} placeholder={f.placeholder ? t(f.placeholder) : undefined} />
                      ) : f.kind === 'select' ? (
                        <Select
                          allowClear
                          placeholder={f.placeholder ? t(f.placeholder) : t(common.all)}
                          options={f.options.map((o) => ({ value: o.value, label: t(o.label) }))}
                        />
                      ) : (
                        f.input
                      )}
                    </Form.Item>
                  </Col>
                ))}
                <Col xs={24} sm={12} lg={8} xl={6} className="boai-search-actions">
                  <Form.Item>
                    <Space wrap>
                      <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                        {t(common.search)}
                      </Button>
                      <Button onClick={() => setParams(paramsFrom({ filters: {}, sort: view.sort }, decl.sort?.default))}>{t(common.reset)}</Button>
                      {filters.length > primary && (
                        <Button type="link" onClick={() => setExpanded((x) => !x)} aria-expanded={expanded}>
                          {expanded ? t(common.collapse) : t(common.expand)} {expanded ? <UpOutlined /> : <DownOutlined />}
                        </Button>
                      )}
                    </Space>
                  </Form.Item>
                </Col>
              </Row>
            </Form>
          )}
          {decl.searchExtra}
        </Card>
      )}
      <Card size="small">
        <div className="boai-toolbar">
          <Space size="small" wrap>
            <span className="boai-toolbar-title">{t(decl.title)}</span>
            {activeCount > 0 && <Typography.Text type="secondary">{t(m.activeFilters, { count: activeCount })}</Typography.Text>}
          </Space>
          <Space wrap>
            {decl.sort && (
              <Select
                aria-label={t(m.sort)}
                value={view.sort}
                onChange={(v: string) => setSort(v)}
                options={decl.sort.options.map((o) => ({ value: o.value, label: t(o.label) }))}
                style={{ minWidth: 150 }}
                prefix={<span className="boai-select-prefix">{t(m.sort)}</span>}
              />
            )}
            <Tooltip title={t(common.refresh)}>
              <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isRefetching && !list.isFetchingNextPage} aria-label={t(common.refresh)} />
            </Tooltip>
            {hideable.length > 0 && (
              <Dropdown
                trigger={['click']}
                popupRender={() => (
                  <div className="boai-column-settings">
                    <Checkbox.Group
                      value={hideable.filter((c) => !hidden.includes(c.key)).map((c) => c.key)}
                      onChange={(shown) => setHidden(hideable.map((c) => c.key).filter((k) => !shown.includes(k)))}
                    >
                      <Space orientation="vertical" size={4}>
                        {hideable.map((c) => (
                          <Checkbox key={c.key} value={c.key}>
                            {t(c.title)}
                          </Checkbox>
                        ))}
                      </Space>
                    </Checkbox.Group>
                    <Button type="link" size="small" onClick={() => setHidden([])} disabled={hidden.length === 0}>
                      {t(m.columnsReset)}
                    </Button>
                  </div>
                )}
              >
                <Tooltip title={t(m.columns)}>
                  <Button icon={<SettingOutlined />} aria-label={t(m.columns)} />
                </Tooltip>
              </Dropdown>
            )}
            {toolbar.map((i) => (
              <span key={i.key}>{i.node}</span>
            ))}
          </Space>
        </div>
        {list.isError && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
        <Table<T>
          rowKey={decl.rowKey}
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
          pagination={false}
          scroll={decl.scrollX ? { x: decl.scrollX } : undefined}
          onChange={onTableChange}
          showSorterTooltip={false}
          locale={{ emptyText: t(decl.emptyText ?? m.empty) }}
        />
        <div className="boai-load-more">
          <Typography.Text type="secondary">
            {list.hasNextPage ? t(common.loaded, { count: rows.length }) : t(common.allLoaded, { count: rows.length })}
          </Typography.Text>
          {list.hasNextPage && (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t(common.loadMore)}
            </Button>
          )}
        </div>
      </Card>
    </Space>
  );
}
