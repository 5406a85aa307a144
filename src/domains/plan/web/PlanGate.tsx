import type { ReactNode } from 'react';
import { Alert, Card, Empty, Skeleton } from 'antd';
import type { Plan } from '../plan.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { planMessages as m } from './plan.messages.ts';
import { usePlanChoice } from './plan.shared.tsx';

export type PlanChoice = ReturnType<typeof usePlanChoice>;

/** The plan pages' common start: the list of plans loaded, one chosen, or a clear word why not. */
export function PlanGate({ children }: { children: (plan: Plan, choice: PlanChoice) => ReactNode }) {
  const { t } = useI18n();
  const choice = usePlanChoice();
  const { plans, plan } = choice;
  if (plans.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (plans.isError) return <Alert type="error" showIcon title={plans.error.message} />;
  if (!plan) {
    return (
      <Card>
        <Empty description={choice.wantedMissing ? t(m.planNotFound) : t(m.noPlans)} />
      </Card>
    );
  }
  return <>{children(plan, choice)}</>;
}
