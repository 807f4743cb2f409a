import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS_PRODUCTS, type ConsumptionImportResult } from '../../../shared/model/products.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { uploadFile } from '../../api/files.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { DropZone } from '../../components/DropZone.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';

/**
 * Standalone source of consumption: a CSV of daily figures (date, product code, figure), dropped or
 * chosen. The core checks every row and writes all of them or none; the summary says which.
 */
export function ImportConsumptionDialog({ orgId, onClose }: { orgId: string; onClose(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const run = useApiMutation('products.importConsumption');
  const [filename, setFilename] = useState<string | null>(null);
  const [result, setResult] = useState<ConsumptionImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  const onFile = async (file: File) => {
    setResult(null);
    setError(null);
    setFilename(file.name);
    // Said at once rather than after an upload the core would refuse (it checks again).
    if (file.size > LIMITS_PRODUCTS.csvMaxBytes) return setError(t('products.csv_too_large'));
    let fileId: string;
    try {
      setUploading(true);
      fileId = await uploadFile(file);
    } catch (e) {
      return setError(errorText(t, e));
    } finally {
      setUploading(false);
    }
    run.mutate({ orgId, fileId }, {
      onSuccess: (r) => {
        setResult(r);
        if (r.applied) toast.success(t('ui.products.import.done', { count: r.rows }));
      },
      onError: (e) => setError(errorText(t, e)),
    });
  };

  return (
    <Dialog
      title={t('ui.products.import.title')}
      onClose={onClose}
      className="dialog-import"
      footer={<button type="button" className="button" onClick={onClose}>{result?.applied ? t('ui.products.import.close') : t('ui.dialog.cancel')}</button>}
    >
      <p className="muted">{t('ui.products.import.help')}</p>
      <pre className="import-example mono" aria-label={t('ui.products.import.example')}>{'date,product code,figure\n2026-03-01,CTP-PRD-01,124'}</pre>
      <DropZone label={t('ui.products.import.file')} accept=".csv,text/csv" onFile={(f) => void onFile(f)} dropHint={t('ui.products.import.drop')}>
        {filename && <p className="import-file-name">{filename}</p>}
      </DropZone>
      {(uploading || run.isPending) && <p className="muted" role="status"><span className="spinner" aria-hidden="true" /> {t('ui.products.import.checking')}</p>}
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {result && result.applied && (
        <div className="alert alert-info import-summary" role="status" data-testid="import-summary">
          <span>{t('ui.products.import.summary', {
            rows: format.number(result.rows), created: format.number(result.created), updated: format.number(result.updated),
            unchanged: format.number(result.unchanged), products: result.products,
            from: result.from ? format.date(`${result.from}T00:00:00Z`) : '', to: result.to ? format.date(`${result.to}T00:00:00Z`) : '',
          })}</span>
        </div>
      )}
      {result && !result.applied && (
        <div className="import-refused" data-testid="import-errors">
          <p className="alert alert-error" role="alert">{t('ui.products.import.refused', { count: result.errorCount })}</p>
          {result.errors.length > 0 && (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('ui.products.import.line')}</th>
                  <th scope="col">{t('ui.products.import.column')}</th>
                  <th scope="col">{t('ui.products.import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="num">{e.line}</td>
                    <td>{t(`ui.products.import.columns.${e.column}`)}</td>
                    <td>{t(e.key, e.params)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.errorCount > result.errors.length && <p className="muted small">{t('ui.products.import.more', { count: result.errorCount - result.errors.length })}</p>}
        </div>
      )}
    </Dialog>
  );
}
