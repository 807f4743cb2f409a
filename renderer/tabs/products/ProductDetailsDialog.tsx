import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LicenseKey, ServiceNowEnvironment, type ProductRow } from '../../../shared/model/products.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, zodIssue } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';

/** View details: environment, ServiceNow environment, license key (masked, copy), creation date, status, Digital Activity. */
export function ProductDetailsDialog({ productId, onClose }: { productId: string; onClose(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const product = useApiQuery('products.get', { id: productId });
  const update = useApiMutation('products.update');
  const reveal = useApiMutation('products.revealLicenseKey');
  const [revealed, setRevealed] = useState<string | null>(null);
  const [editingKey, setEditingKey] = useState(false);
  const [serviceNow, setServiceNow] = useState<string | null>(null);

  if (!product.data) {
    return (
      <Dialog title={t('ui.products.details.title')} onClose={onClose}>
        {product.isError ? <p className="alert alert-error" role="alert">{errorText(t, product.error)}</p> : <p className="muted">{t('ui.app.loading')}</p>}
      </Dialog>
    );
  }
  const p = product.data;
  const save = (changes: Parameters<typeof update.mutate>[0]['changes'], done?: () => void) =>
    update.mutate({ id: p.id, baseVersion: p.version, changes }, {
      onSuccess: () => { toast.success(t('ui.products.details.saved', { code: p.code })); done?.(); },
      onError: (e) => toast.error(errorText(t, e)),
    });

  const copy = () => reveal.mutate({ id: p.id }, {
    onSuccess: async ({ licenseKey }) => {
      try {
        await navigator.clipboard.writeText(licenseKey);
        toast.success(t('ui.products.details.copied'));
      } catch {
        // No clipboard access (permissions): show the key so it can be selected and copied by hand.
        setRevealed(licenseKey);
      }
    },
    onError: (e) => toast.error(errorText(t, e)),
  });

  const snValue = serviceNow ?? p.serviceNowEnvironment;
  const snError = zodIssue(ServiceNowEnvironment.safeParse(snValue));

  return (
    <Dialog title={t('ui.products.details.title')} onClose={onClose} className="dialog-product">
      <dl className="facts product-facts">
        <div><dt>{t('ui.products.columns.code')}</dt><dd className="mono">{p.code}</dd></div>
        <div><dt>{t('ui.products.columns.type')}</dt><dd>{p.productType}</dd></div>
        <div><dt>{t('ui.products.columns.environment')}</dt><dd>{t(`ui.products.environments.${p.environment}`, { defaultValue: p.environment })}</dd></div>
        <div><dt>{t('ui.products.columns.region')}</dt><dd>{p.region}</dd></div>
        <div><dt>{t('ui.products.columns.created')}</dt><dd>{format.date(p.createdAt)}</dd></div>
      </dl>

      <form
        className="product-servicenow"
        onSubmit={(e) => {
          e.preventDefault();
          if (!snError && snValue !== p.serviceNowEnvironment) save({ serviceNowEnvironment: snValue }, () => setServiceNow(null));
        }}
      >
        <Field label={t('ui.products.details.serviceNow')} error={snError ? t(snError) : null} help={t('ui.products.details.serviceNowHelp')}>
          {(f) => <input {...f} className="input" value={snValue} onChange={(e) => setServiceNow(e.target.value)} placeholder="company.service-now.com" />}
        </Field>
        <button type="submit" className="button button-small" disabled={update.isPending || snValue === p.serviceNowEnvironment || Boolean(snError)}>
          {t('ui.products.details.saveServiceNow')}
        </button>
      </form>

      <div className="license-row">
        <span className="field-label">{t('ui.products.details.licenseKey')}</span>
        {p.licenseKeyMasked ? (
          <>
            <code className="mono" data-testid="license-masked">{revealed ?? p.licenseKeyMasked}</code>
            <button type="button" className="button button-small" onClick={copy} disabled={reveal.isPending}>{t('ui.products.details.copy')}</button>
          </>
        ) : <span className="muted">{t('ui.products.details.noKey')}</span>}
        <button type="button" className="button button-small button-quiet" onClick={() => setEditingKey(true)}>
          {p.licenseKeyMasked ? t('ui.products.details.replaceKey') : t('ui.products.details.setKey')}
        </button>
      </div>
      <p className="muted small">{t('ui.products.details.keyHelp')}</p>

      <div className="product-switches">
        <label className="switch">
          <input type="checkbox" role="switch" checked={p.state === 'enabled'} disabled={update.isPending}
            onChange={(e) => save({ state: e.target.checked ? 'enabled' : 'disabled' })} />
          <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
          <span>{t('ui.products.details.status')}</span>
        </label>
        <label className="switch">
          <input type="checkbox" role="switch" checked={p.digitalActivity} disabled={update.isPending}
            onChange={(e) => save({ digitalActivity: e.target.checked })} />
          <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
          <span>{t('ui.products.details.digitalActivity')}</span>
        </label>
      </div>
      {editingKey && <LicenseKeyDialog product={p} onClose={() => setEditingKey(false)} />}
    </Dialog>
  );
}

function LicenseKeyDialog({ product, onClose }: { product: ProductRow; onClose(): void }) {
  const { t } = useTranslation();
  const setKey = useApiMutation('products.setLicenseKey');
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const issue = zodIssue(LicenseKey.safeParse(value));
  return (
    <Dialog
      title={t('ui.products.details.setKeyTitle', { code: product.code })}
      onClose={onClose}
      className="dialog-small"
      footer={(
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form="license-key-form" className="button button-primary" disabled={setKey.isPending}>{t('ui.products.details.saveKey')}</button>
        </>
      )}
    >
      <form
        id="license-key-form"
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (issue) return;
          setKey.mutate({ id: product.id, licenseKey: value }, {
            onSuccess: () => { toast.success(t('ui.products.details.keySaved')); onClose(); },
            onError: (err) => toast.error(errorText(t, err)),
          });
        }}
      >
        <Field label={t('ui.products.details.licenseKey')} error={touched && issue ? t(issue) : null} help={t('ui.products.details.keyStored')}>
          {(f) => <input {...f} className="input input-mono" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />}
        </Field>
      </form>
    </Dialog>
  );
}
