import { useTranslation } from 'react-i18next';

/** The SSO Integrations tab of an organization. */
export function SsoTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.sso')}</p>;
}
