import { Tag } from 'antd';
import { orgKindLabels, type OrgUnit } from '../orgs.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';

const kindColors: Partial<Record<OrgUnit['kind'], string>> = {
  city: 'red',
  city_direct: 'volcano',
  county: 'orange',
  function_zone: 'gold',
  township: 'blue',
  street: 'geekblue',
  village: 'green',
  community: 'cyan',
  school: 'purple',
  enterprise: 'magenta',
};

export function KindTag({ kind }: { kind: OrgUnit['kind'] }) {
  const { t } = useI18n();
  return <Tag color={kindColors[kind]}>{t(orgKindLabels[kind])}</Tag>;
}

export function UnitTitle({ unit }: { unit: Pick<OrgUnit, 'name' | 'kind' | 'synthetic'> }) {
  const { t } = useI18n();
  return (
    <span className="boai-tree-title">
      <span>{unit.name}</span>
      <KindTag kind={unit.kind} />
      {unit.synthetic && <Tag>{t(common.demo)}</Tag>}
    </span>
  );
}
