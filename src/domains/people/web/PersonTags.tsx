import { Tag, Tooltip } from 'antd';
import { idTypeLabels, sexLabels, type Person } from '../people.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { peopleMessages as m } from './people.messages.ts';

export function MinorTag({ minor }: { minor: Person['minor'] }) {
  const { t } = useI18n();
  if (minor === 'under14') return <Tag color="red">{t(m.under14)}</Tag>;
  if (minor === 'under18') return <Tag color="orange">{t(m.under18)}</Tag>;
  return null;
}

export function ErasedTag() {
  const { t } = useI18n();
  return (
    <Tooltip title={t(m.erasedText)}>
      <Tag color="default">{t(m.erasedTag)}</Tag>
    </Tooltip>
  );
}

/** 年龄 with the minor tag beside it. */
export function AgeCell({ person }: { person: Pick<Person, 'age' | 'minor'> }) {
  const { t } = useI18n();
  return (
    <span className="boai-age">
      <span>{person.age === null ? '—' : t(m.ageValue, { age: person.age })}</span>
      <MinorTag minor={person.minor} />
    </span>
  );
}

export function useSexLabel() {
  const { t } = useI18n();
  return (sex: Person['sex']) => t(sexLabels[sex]);
}

export function useIdTypeLabel() {
  const { t } = useI18n();
  return (idType: Person['idType']) => t(idTypeLabels[idType]);
}

/** A masked number in a fixed-width font, or a dash. */
export function Masked({ value }: { value: string | null }) {
  return value ? <span className="boai-mono">{value}</span> : <span>—</span>;
}
