import { useTranslation } from 'react-i18next';

/** The Directories tab of an organization. */
export function DirectoriesTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.directories')}</p>;
}
