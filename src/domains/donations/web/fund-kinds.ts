import type { Fund } from '../donations.contract.ts';
import type { Text } from '../../../platform/i18n.ts';
import { donationsMessages as m } from './donations.messages.ts';

export const FUND_KIND: Record<Fund['kind'], { label: Text; color: string }> = {
  bank: { label: m.kindBank, color: 'geekblue' },
  cash: { label: m.kindCash, color: 'cyan' },
  unrestricted: { label: m.kindUnrestricted, color: 'green' },
  project: { label: m.kindProject, color: 'blue' },
  designated: { label: m.kindDesignated, color: 'purple' },
};
export const isAsset = (f: Pick<Fund, 'kind'>) => f.kind === 'bank' || f.kind === 'cash';
