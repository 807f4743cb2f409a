import { useTranslation } from 'react-i18next';

/** The Domains tab of an organization. */
export function DomainsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.domains')}</p>;
}
