import { Progress, Space, Tag, Typography } from 'antd';
import { fenToYuan, projectStatusLabels, type Project, type ProjectStatus } from '../projects.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { projectsMessages as m } from './projects.messages.ts';

const STATUS_COLORS: Record<ProjectStatus, string> = { draft: 'default', fundraising: 'processing', closed: 'success' };

export function ProjectStatusTag({ status }: { status: ProjectStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="project-status">
      {t(projectStatusLabels[status])}
    </Tag>
  );
}

/** Raised against goal, in yuan with two decimals; a bar only when there is a goal. */
export function RaisedCell({ project }: { project: Pick<Project, 'goalFen' | 'raisedFen'> }) {
  const { t } = useI18n();
  const { goalFen, raisedFen } = project;
  const percent = goalFen ? Math.min(100, Math.floor((raisedFen * 100) / goalFen)) : null;
  return (
    <Space orientation="vertical" size={0} style={{ width: '100%' }}>
      <Typography.Text className="boai-mono">
        ¥{fenToYuan(raisedFen)} / {goalFen === null ? t(m.noGoal) : `¥${fenToYuan(goalFen)}`}
      </Typography.Text>
      {percent !== null && <Progress percent={percent} size="small" />}
    </Space>
  );
}
