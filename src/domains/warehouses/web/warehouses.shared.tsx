import { Select, Tag } from 'antd';
import type { Item } from '../warehouses.contract.ts';
import { docStatusLabels, type DocKind } from '../warehouses.contract.ts';
import { useItems } from './warehouses.api.ts';

export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const itemText = (i: { name: string; spec: string; unit?: string }) => `${i.name}${i.spec ? `（${i.spec}）` : ''}`;
export const todayShanghai = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const STATUS_COLOR: Record<string, string> = { posted: 'green', shipped: 'orange', received: 'green', requested: 'gold', approved: 'green', rejected: 'red', counting: 'blue', finalised: 'green' };
export function StatusTag({ status }: { status: keyof typeof docStatusLabels }) {
  return <Tag color={STATUS_COLOR[status]}>{docStatusLabels[status].zh}</Tag>;
}

export const DOC_TITLE: Record<DocKind, string> = { receive: '入库单', issue: '出库单', transfer: '调拨单', write_off: '报损单', stocktake: '盘点单' };

/**
 * Picks a catalogue item by name, specification or code (N95 and KN95 are separate entries). Retired
 * items take no new goods; `includeRetired` offers them too (marked), for stock that leaves.
 */
export function ItemSelect({ value, onChange, id, includeRetired = false }: { value?: string; onChange?: (v: string, item: Item | undefined) => void; id?: string; includeRetired?: boolean }) {
  const items = useItems();
  return (
    <Select
      id={id}
      showSearch
      value={value}
      placeholder="选择物资"
      style={{ minWidth: 240 }}
      optionFilterProp="label"
      loading={items.isPending}
      onChange={(v: string) => onChange?.(v, items.data?.find((i) => i.id === v))}
      options={(items.data ?? []).filter((i) => i.active || includeRetired).map((i) => ({ value: i.id, label: `${i.code} ${itemText(i)} / ${i.unit}${i.active ? '' : '（已停用）'}` }))}
    />
  );
}
