import { useTranslation } from 'react-i18next';

/** The Microservices tab of an organization. */
export function MicroservicesTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.microservices')}</p>;
}
