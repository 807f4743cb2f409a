import { useTranslation } from 'react-i18next';
import type { UserSource, UserStatus } from '../../../shared/model/user.ts';

export function StatusBadge({ status }: { status: UserStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status-badge status-${status}`}>
      <span className="status-dot" aria-hidden="true" />
      {t(`ui.users.status.${status}`)}
    </span>
  );
}

export function SourceLabel({ source }: { source: UserSource }) {
  const { t } = useTranslation();
  return <span className={`source-label source-${source}`}>{t(`ui.users.source.${source}`)}</span>;
}
