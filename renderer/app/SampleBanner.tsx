import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../api/hooks.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { errorText } from '../components/errors.ts';
import { toast } from '../state/toasts.ts';

export function SampleBanner({ count }: { count: number }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const remove = useApiMutation('sample.remove');
  return (
    <div className="sample-banner" role="region" aria-label={t('ui.header.sample')}>
      <span className="badge badge-sample">{t('ui.header.sample')}</span>
      <span>{t('ui.sample.banner')}</span>
      <button type="button" className="button button-small" onClick={() => setAsking(true)}>
        {t('ui.sample.remove')}
      </button>
      {asking && (
        <ConfirmDialog
          title={t('ui.sample.confirmTitle')}
          body={t('ui.sample.confirmBody', { count })}
          confirmLabel={t('ui.sample.confirm')}
          danger
          busy={remove.isPending}
          error={remove.error ? errorText(t, remove.error) : null}
          onCancel={() => {
            setAsking(false);
            remove.reset();
          }}
          onConfirm={() =>
            // mutateAsync: the banner may unmount (no samples left) before this resolves.
            void remove.mutateAsync({}).then(
              (r) => {
                setAsking(false);
                toast.success(t('ui.sample.removed', { count: r.removed }));
              },
              () => undefined,
            )
          }
        />
      )}
    </div>
  );
}
