import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NewProduct, PRODUCT_ENVIRONMENTS, PRODUCT_TYPES } from '../../../shared/model/products.ts';
import { ApiError } from '../../api/client.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';

const REGIONS = ['West Europe', 'North Europe', 'East US', 'West US', 'Brazil South', 'UK South', 'Southeast Asia', 'Australia East'];

export function NewProductDialog({ orgId, onClose }: { orgId: string; onClose(): void }) {
  const { t } = useTranslation();
  const create = useApiMutation('products.create');
  const [form, setForm] = useState({ environment: 'Production', productType: 'Workspaces', code: '', region: 'West Europe', serviceNowEnvironment: '', licenseKey: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm({ ...form, [k]: e.target.value });
    setErrors({ ...errors, [k]: '' });
  };
  const submit = () => {
    const input = { orgId, ...form, licenseKey: form.licenseKey.trim() === '' ? undefined : form.licenseKey };
    const parsed = NewProduct.safeParse(input);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), t(i.message)])));
      return;
    }
    create.mutate(input as Parameters<typeof create.mutate>[0], {
      onSuccess: (p) => { toast.success(t('ui.products.created', { code: p.code })); onClose(); },
      onError: (e) => {
        if (e instanceof ApiError && e.fields) setErrors(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, issueText(t, v[0]!)])));
        else toast.error(errorText(t, e));
      },
    });
  };
  return (
    <Dialog
      title={t('ui.products.new.title')}
      onClose={onClose}
      footer={(
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form="new-product" className="button button-primary" disabled={create.isPending}>{t('ui.products.new.create')}</button>
        </>
      )}
    >
      <form id="new-product" className="form-grid" onSubmit={(e) => { e.preventDefault(); submit(); }} noValidate>
        <Field label={t('ui.products.columns.code')} error={errors.code || null}>
          {(f) => <input {...f} className="input input-mono" value={form.code} onChange={set('code')} />}
        </Field>
        <Field label={t('ui.products.columns.type')} error={errors.productType || null}>
          {(f) => (
            <select {...f} className="input" value={form.productType} onChange={set('productType')}>
              {PRODUCT_TYPES.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('ui.products.columns.environment')} error={errors.environment || null}>
          {(f) => (
            <select {...f} className="input" value={form.environment} onChange={set('environment')}>
              {PRODUCT_ENVIRONMENTS.map((p) => <option key={p} value={p}>{t(`ui.products.environments.${p}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('ui.products.columns.region')} error={errors.region || null}>
          {(f) => (
            <>
              <input {...f} className="input" list="product-regions" value={form.region} onChange={set('region')} />
              <datalist id="product-regions">{REGIONS.map((r) => <option key={r} value={r} />)}</datalist>
            </>
          )}
        </Field>
        <Field label={t('ui.products.details.serviceNow')} error={errors.serviceNowEnvironment || null}>
          {(f) => <input {...f} className="input" value={form.serviceNowEnvironment} onChange={set('serviceNowEnvironment')} />}
        </Field>
        <Field label={t('ui.products.details.licenseKey')} error={errors.licenseKey || null} help={t('ui.products.details.keyStored')}>
          {(f) => <input {...f} className="input input-mono" type="password" autoComplete="off" value={form.licenseKey} onChange={set('licenseKey')} />}
        </Field>
      </form>
    </Dialog>
  );
}
