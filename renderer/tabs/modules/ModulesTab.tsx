import { useTranslation } from 'react-i18next';

/** The Modules tab of an organization. */
export function ModulesTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.modules')}</p>;
}
