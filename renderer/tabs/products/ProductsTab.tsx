import { useTranslation } from 'react-i18next';

/** The Products tab of an organization. */
export function ProductsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  void orgId;
  return <p className="muted">{t('ui.tabs.products')}</p>;
}
