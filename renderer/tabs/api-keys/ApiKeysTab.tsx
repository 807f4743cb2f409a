import { useTranslation } from 'react-i18next';

/** The API Keys tab of an organization. */
export function ApiKeysTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.apiKeys')}</p>;
}
