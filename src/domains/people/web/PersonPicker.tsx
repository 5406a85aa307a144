import { useEffect, useState } from 'react';
import { Select, Space, Typography } from 'antd';
import type { Person } from '../people.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { looksLikeMobile, parseResidentId } from './identity.ts';
import { useLookup, usePeopleSearch } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';
import { MinorTag } from './PersonTags.tsx';

/**
 * Picks a registered person: typing a name searches the list; typing a full resident ID or mobile
 * number looks it up exactly (in a request body, never a URL). The chosen person is handed back
 * whole, so the caller can show what it picked.
 */
export function PersonPicker({
  value,
  onChange,
  excludeId,
  adultsOnly,
  placeholder,
  id,
}: {
  value?: string;
  onChange?: (id: string | undefined, person: Person | undefined) => void;
  excludeId?: string;
  adultsOnly?: boolean;
  placeholder?: string;
  id?: string;
}) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [picked, setPicked] = useState<Person | undefined>();
  useEffect(() => {
    const h = setTimeout(() => setDebounced(search.trim()), 300);
    return () => clearTimeout(h);
  }, [search]);

  const exact = debounced && (looksLikeMobile(debounced) || parseResidentId(debounced).ok) ? debounced : '';
  const byName = usePeopleSearch(exact || /\d/.test(debounced) ? '' : debounced.slice(0, 30));
  const lookup = useLookup();
  const { mutate: runLookup, reset: resetLookup } = lookup;
  useEffect(() => {
    if (!exact) {
      resetLookup();
      return;
    }
    runLookup(looksLikeMobile(exact) ? { idType: 'resident_id', mobile: exact } : { idType: 'resident_id', idNumber: exact });
  }, [exact, runLookup, resetLookup]);

  const found = (exact ? lookup.data?.items : byName.data) ?? [];
  const candidates = found.filter((p) => p.id !== excludeId && !p.erased && (!adultsOnly || (p.age !== null && p.age >= 18)));
  const options = [...(picked && !candidates.some((c) => c.id === picked.id) ? [picked] : []), ...candidates].map((p) => ({
    value: p.id,
    person: p,
    label: (
      <Space size={6} wrap={false}>
        <span>{p.name}</span>
        <Typography.Text type="secondary" className="boai-mono">
          {p.idNumberMasked ?? '—'}
        </Typography.Text>
        <Typography.Text type="secondary">
          {p.unitName}
          {p.age !== null ? ` · ${t(m.ageValue, { age: p.age })}` : ''}
        </Typography.Text>
        <MinorTag minor={p.minor} />
      </Space>
    ),
  }));

  return (
    <Select<string>
      id={id}
      allowClear
      value={value}
      placeholder={placeholder}
      options={options}
      onChange={(v) => {
        const person = options.find((o) => o.value === v)?.person;
        setPicked(person);
        onChange?.(v, person);
      }}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search, autoClearSearchValue: true }}
      loading={byName.isFetching || lookup.isPending}
      notFoundContent={debounced ? t(m.searchNone) : null}
      style={{ width: '100%' }}
      onOpenChange={(open) => {
        if (!open) setSearch('');
      }}
    />
  );
}
