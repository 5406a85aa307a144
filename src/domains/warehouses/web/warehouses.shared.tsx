import { Select, Tag } from 'antd';
import type { Item } from '../warehouses.contract.ts';
import { docStatusLabels } from '../warehouses.contract.ts';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import { useItems } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';

export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** An item as people name it: 口罩（N95） — the specification is part of what the item is. */
export const itemText = (t: Translate, i: { name: string; spec?: string | null }) => (i.spec ? t(m.withNote, { main: i.name, note: i.spec }) : i.name);
export const todayShanghai = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const STATUS_COLOR: Record<string, string> = { posted: 'green', shipped: 'orange', received: 'green', requested: 'gold', approved: 'green', rejected: 'red', counting: 'blue', finalised: 'green' };
export function StatusTag({ status }: { status: keyof typeof docStatusLabels }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{t(docStatusLabels[status])}</Tag>;
}

/**
 * Picks a catalogue item by name, specification or code (N95 and KN95 are separate entries). Retired
 * items take no new goods; `includeRetired` offers them too (marked), for stock that leaves.
 */
export function ItemSelect({ value, onChange, id, includeRetired = false }: { value?: string; onChange?: (v: string, item: Item | undefined) => void; id?: string; includeRetired?: boolean }) {
  const { t } = useI18n();
  const items = useItems();
  return (
    <Select
      id={id}
      showSearch
      value={value}
      placeholder={t(m.chooseItem)}
      style={{ minWidth: 240 }}
      optionFilterProp="label"
      loading={items.isPending}
      onChange={(v: string) => onChange?.(v, items.data?.find((i) => i.id === v))}
      options={(items.data ?? []).filter((i) => i.active || includeRetired).map((i) => ({ value: i.id, label: `${i.code} ${itemText(t, i)} / ${i.unit}${i.active ? '' : t(m.itemRetiredSuffix)}` }))}
    />
  );
}
