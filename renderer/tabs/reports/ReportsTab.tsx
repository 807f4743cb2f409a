import { useTranslation } from 'react-i18next';

/** The Reports tab of an organization. */
export function ReportsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.reports')}</p>;
}
