import { useEffect, useState } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { orgKindLabels, type OrgUnit } from '../orgs.contract.ts';
import type { Lang } from '../../../platform/i18n.ts';
import { withNote } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { childrenQuery, loadChildren, useOrgSearch } from './orgs.api.ts';
import { orgsMessages as m } from './orgs.messages.ts';

type Node = { id: string; pId: string | null; value: string; title: string; isLeaf: boolean };

function toNode(u: OrgUnit, kindLabel: string, lang: Lang, searchMode = false): Node {
  return {
    id: u.id,
    pId: searchMode ? null : u.parentId,
    value: u.id,
    title: withNote(u.name, kindLabel, lang),
    isLeaf: searchMode || u.childCount === 0,
  };
}

/**
 * Picks an org unit of the caller's jurisdiction: the tree loads level by level as it is opened,
 * and typing searches the whole jurisdiction on the server. `label` names the current value
 * before its branch is loaded (a user's unit, a unit's parent).
 */
export function UnitTreeSelect({
  value,
  onChange,
  label,
  placeholder,
  allowClear,
  disabled,
  excludeId,
  id,
}: {
  value?: string | null;
  onChange?: (id: string | undefined) => void;
  label?: string;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  /** A unit that may not be chosen, with its subtree (moving a unit under itself). */
  excludeId?: string;
  id?: string;
}) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const roots = useQuery(childrenQuery(null));
  // The top of the jurisdiction comes open: its first level is what people pick most.
  const rootLevel = useQueries({ queries: (roots.data ?? []).map((r) => childrenQuery(r.id)) });
  const rootChildren = rootLevel.flatMap((q) => q.data ?? []);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [loaded, setLoaded] = useState<OrgUnit[]>([]);
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setDebounced(search.trim()), 300);
    return () => clearTimeout(h);
  }, [search]);
  const found = useOrgSearch(debounced);
  const kind = (u: OrgUnit) => (lang === 'en' ? orgKindLabels[u.kind].en : orgKindLabels[u.kind].zh);

  // Rebuilt on every render: only the levels opened so far are in it.
  let treeData: Node[];
  if (debounced) {
    treeData = (found.data?.items ?? []).filter((u) => u.id !== excludeId).map((u) => toNode(u, kind(u), lang, true));
  } else {
    const seen = new Set<string>();
    treeData = [];
    for (const u of [...(roots.data ?? []), ...rootChildren, ...loaded]) {
      if (seen.has(u.id) || u.id === excludeId) continue;
      seen.add(u.id);
      treeData.push(toNode(u, kind(u), lang));
    }
  }

  const shown = value ? { value, label: treeData.find((n) => n.value === value)?.title ?? label ?? value } : undefined;

  return (
    <TreeSelect
      id={id}
      labelInValue
      value={shown}
      onChange={(v: { value: string } | undefined) => onChange?.(v?.value)}
      treeDataSimpleMode={{ id: 'id', pId: 'pId' }}
      treeExpandedKeys={debounced ? [] : (expanded ?? (roots.data ?? []).map((r) => r.id))}
      onTreeExpand={(keys) => setExpanded(keys.map(String))}
      treeData={treeData}
      loadData={async (node) => {
        const unitId = String(node.value);
        const children = await loadChildren(qc, unitId);
        setLoaded((prev) => [...prev, ...children]);
      }}
      showSearch={{ filterTreeNode: false, onSearch: setSearch, searchValue: search }}
      placeholder={placeholder ?? t(m.searchPlaceholder)}
      allowClear={allowClear}
      disabled={disabled}
      loading={roots.isFetching || found.isFetching}
      style={{ width: '100%' }}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto' } } }}
      onOpenChange={(open) => {
        if (!open) setSearch('');
      }}
    />
  );
}
