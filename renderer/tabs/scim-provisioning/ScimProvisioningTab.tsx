import { useTranslation } from 'react-i18next';

/** The SCIM Provisioning tab of an organization. */
export function ScimProvisioningTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.scim')}</p>;
}
