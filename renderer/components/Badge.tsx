import { useTranslation } from 'react-i18next';
import type { OrgType } from '../../shared/model/organization.ts';

export function TypeBadge({ type }: { type: OrgType }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${type}`}>{t(`ui.orgTypes.${type}`)}</span>;
}

export function SampleBadge() {
  const { t } = useTranslation();
  return <span className="badge badge-sample">{t('ui.header.sample')}</span>;
}
