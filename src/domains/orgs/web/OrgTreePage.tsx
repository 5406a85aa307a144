import { useEffect, useRef, useState, type Key, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Input, List, Row, Spin, Tree, Typography } from 'antd';
import type { GetRef, TreeDataNode } from 'antd';
import type { OrgUnit } from '../orgs.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { childrenQuery, loadChildren, useOrgDetail, useOrgSearch } from './orgs.api.ts';
import { orgsMessages as m } from './orgs.messages.ts';
import { UnitTitle } from './OrgTags.tsx';
import { UnitDetail } from './UnitDetail.tsx';

/** 组织机构: the tree of the caller's jurisdiction on the left, the chosen unit on the right. */
export function OrgTreePage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const selected = params.get('unit');
  const [expanded, setExpanded] = useState<string[]>([]);
  const [loadedKeys, setLoadedKeys] = useState<string[]>([]);
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const found = useOrgSearch(query);
  const detail = useOrgDetail(selected);

  const treeRef = useRef<GetRef<typeof Tree>>(null);
  // A virtual list: a township opened in every county still scrolls smoothly, and a chosen unit can be scrolled to.
  const [treeHeight] = useState(() => Math.max(320, window.innerHeight - 250));
  const levels = useQueries({ queries: [null, ...loadedKeys].map((id) => childrenQuery(id)) });
  const roots = levels[0]!;
  const childrenOf = new Map<string, OrgUnit[]>();
  loadedKeys.forEach((id, i) => {
    const data = levels[i + 1]?.data;
    if (data) childrenOf.set(id, data);
  });

  const select = (id: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('unit', id);
        return next;
      },
      { replace: false },
    );

  // First visit: open the top of the jurisdiction and show it.
  const rootUnits = roots.data;
  useEffect(() => {
    const first = rootUnits?.[0];
    if (!first) return;
    setExpanded((prev) => (prev.length ? prev : [first.id]));
    setLoadedKeys((prev) => (prev.length ? prev : [first.id]));
    if (!selected) setParams((prev) => new URLSearchParams([...prev, ['unit', first.id]]), { replace: true });
  }, [rootUnits, selected, setParams]);

  // A unit chosen from the search (or a shared link) opens its branch in the tree.
  const ancestors = detail.data?.ancestors;
  useEffect(() => {
    if (!ancestors?.length) return;
    const ids = ancestors.map((a) => a.id);
    setLoadedKeys((prev) => [...new Set([...prev, ...ids])]);
    setExpanded((prev) => [...new Set([...prev, ...ids])]);
  }, [ancestors]);

  // Rebuilt on every render: a few hundred nodes at most are loaded at a time.
  const inTree = new Set<string>();
  const build = (units: OrgUnit[]): TreeDataNode[] =>
    units.map((u) => {
      inTree.add(u.id);
      const kids = childrenOf.get(u.id);
      return {
        key: u.id,
        title: <UnitTitle unit={u} />,
        isLeaf: u.childCount === 0,
        children: kids ? build(kids) : undefined,
      };
    });
  const treeData = build(rootUnits ?? []);
  const selectedShown = !!selected && inTree.has(selected) && !query;
  useEffect(() => {
    if (selectedShown && selected) treeRef.current?.scrollTo({ key: selected, align: 'auto', offset: 40 });
  }, [selected, selectedShown]);

  let left: ReactNode;
  if (query) {
    const items = found.data?.items ?? [];
    left = (
      <Spin spinning={found.isFetching}>
        <Typography.Text type="secondary">{t(m.searchResults)}</Typography.Text>
        <List
          size="small"
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(m.searchNone)} /> }}
          renderItem={(u) => (
            <List.Item
              className={u.id === selected ? 'ant-list-item-selected' : undefined}
              style={{ cursor: 'pointer', background: u.id === selected ? '#fdecec' : undefined, paddingInline: 8 }}
              onClick={() => {
                select(u.id);
                setSearch('');
                setQuery('');
              }}
            >
              <UnitTitle unit={u} />
            </List.Item>
          )}
        />
        {found.data?.nextCursor && <Typography.Text type="secondary">{t(m.searchMore, { count: items.length })}</Typography.Text>}
      </Spin>
    );
  } else if (roots.isError) {
    left = <Alert type="error" showIcon title={t(common.loadFailed)} description={roots.error.message} />;
  } else if (roots.isPending) {
    left = <Spin />;
  } else {
    left = (
      <Tree
        ref={treeRef}
        height={treeHeight}
        blockNode
        showLine={{ showLeafIcon: false }}
        treeData={treeData}
        expandedKeys={expanded}
        onExpand={(keys: Key[]) => setExpanded(keys.map(String))}
        loadedKeys={loadedKeys}
        loadData={async (node) => {
          const id = String(node.key);
          await loadChildren(qc, id);
          setLoadedKeys((prev) => (prev.includes(id) ? prev : [...prev, id]));
        }}
        selectedKeys={selected ? [selected] : []}
        onSelect={(keys) => {
          const k = keys[0];
          if (k !== undefined) select(String(k));
        }}
        data-testid="org-tree"
      />
    );
  }

  return (
    <Row gutter={16}>
      <Col xs={24} lg={8} xl={7}>
        <Card title={t(m.treeTitle)} className="boai-tree-card" size="small">
          <Input.Search
            allowClear
            placeholder={t(m.searchPlaceholder)}
            value={search}
            maxLength={50}
            onChange={(e) => {
              setSearch(e.target.value);
              if (!e.target.value) setQuery('');
            }}
            onSearch={(v) => setQuery(v.trim())}
            style={{ marginBottom: 12 }}
          />
          {query ? <div className="boai-tree-scroll">{left}</div> : left}
        </Card>
      </Col>
      <Col xs={24} lg={16} xl={17}>
        {selected ? (
          <UnitDetail id={selected} detail={detail} onSelect={select} />
        ) : (
          <Card>
            <Empty description={t(m.selectHint)} />
          </Card>
        )}
      </Col>
    </Row>
  );
}
