import { useTranslation } from 'react-i18next';

export function EmptyState({ onCreate }: { onCreate(): void }) {
  const { t } = useTranslation();
  return (
    <div className="empty-state">
      <div className="empty-illustration" aria-hidden="true">
        <span className="type-dot type-dot-partner" />
        <span className="empty-line" />
        <span className="type-dot type-dot-client" />
        <span className="empty-line" />
        <span className="type-dot type-dot-suborg" />
      </div>
      <h1>{t('ui.empty.title')}</h1>
      <p>{t('ui.empty.body')}</p>
      <button type="button" className="button button-primary" onClick={onCreate}>
        {t('ui.empty.create')}
      </button>
    </div>
  );
}
