import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, Col, Descriptions, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { ApartmentOutlined, ClockCircleOutlined, ExclamationCircleOutlined, RightOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { TodoItem } from '../../platform/contract-kit.ts';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { visibleMenu } from '../domains.ts';
import { formatDateTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { shellMessages } from '../messages.ts';

/** 待办: what each domain says waits for me, counted in my jurisdiction; refreshed when I come back to the tab. */
function TodoCard() {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['todos'], queryFn: ({ signal }) => api<{ items: TodoItem[] }>('/api/todos', { signal }), refetchOnWindowFocus: true, refetchInterval: 120_000 });
  const items = q.data?.items ?? [];
  return (
    <Card title={t(shellMessages.todo)} loading={q.isPending} data-testid="todo-card" extra={items.length > 0 ? <Badge count={items.reduce((s, i) => s + i.count, 0)} overflowCount={999} /> : null}>
      {q.isError ? (
        <Alert type="error" showIcon title={q.error.message} />
      ) : items.length === 0 ? (
        <Empty description={t(shellMessages.todoEmpty)}>
          <Typography.Text type="secondary">{t(shellMessages.todoHint)}</Typography.Text>
        </Empty>
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(i) => (
            <List.Item key={i.key} data-testid={`todo-${i.key}`}>
              <Link to={i.path} className="boai-todo-link">
                <Space>
                  {i.severity === 'urgent' ? <ExclamationCircleOutlined style={{ color: '#cf1322' }} /> : <ClockCircleOutlined style={{ color: '#d48806' }} />}
                  <Typography.Text type={i.severity === 'urgent' ? 'danger' : undefined}>{i.label}</Typography.Text>
                </Space>
                <RightOutlined />
              </Link>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** 工作台: who I am, where I work, and what waits for me. */
export function HomePage() {
  const me = useMe();
  const { t, lang } = useI18n();
  const groups = visibleMenu(me.user.permissions);
  return (
    <Space orientation="vertical" size="middle" className="boai-block">
      <Card>
        <Typography.Title level={3} className="boai-welcome">
          {t(shellMessages.welcome, { name: me.user.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t(shellMessages.welcomeSub)}</Typography.Paragraph>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t(shellMessages.myUnit)}>
            <Tag icon={<ApartmentOutlined />} color="red">
              {me.user.unitName}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t(shellMessages.myRoles)}>
            <Space size={[4, 4]} wrap>
              {me.user.roles.map((r) => (
                <Tag key={r.code} color="blue">
                  {lang === 'en' ? r.nameEn : r.nameZh}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t(shellMessages.totpStatus)}>
            {me.user.totpEnabled ? (
              <Tag icon={<SafetyCertificateOutlined />} color="success">
                {t(shellMessages.totpOn)}
              </Tag>
            ) : (
              <Tag>{t(shellMessages.totpOff)}</Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t(shellMessages.sessionUntil)}>{formatDateTime(me.expiresAt, lang)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <TodoCard />
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t(shellMessages.quickLinks)}>
            {groups.length === 0 ? (
              <Typography.Text type="secondary">{t(shellMessages.noQuickLinks)}</Typography.Text>
            ) : (
              <Space orientation="vertical" size="small" className="boai-block">
                {groups.map((g) => (
                  <div key={g.area.key}>
                    <Typography.Text type="secondary">{t(g.area.label)}</Typography.Text>
                    <div className="boai-quick-links">
                      {g.entries.map((e) => (
                        <Link key={e.key} to={e.path} className="boai-quick-link">
                          {e.icon}
                          <span>{t(e.label)}</span>
                        </Link>
                      ))}
                    </div>
                  </div>
                ))}
              </Space>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
