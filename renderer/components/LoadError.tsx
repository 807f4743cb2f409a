import { useTranslation } from 'react-i18next';
import { errorText } from './errors.ts';

/**
 * A query that failed to load: the error in the person's language and a Retry button. One
 * component so every tab says it the same way and keeps the alert role for screen readers.
 */
export function LoadError({ query }: { query: { error: unknown; refetch: () => unknown } }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-error" role="alert">
      <span>{errorText(t, query.error)}</span>
      <button type="button" className="button button-small" onClick={() => void query.refetch()}>{t('ui.app.retry')}</button>
    </div>
  );
}
