import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONSOLE_ROLES, type ConsoleRole, type ProductRow } from '../../../shared/model/products.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { MenuButton } from '../../components/MenuButton.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import { AgentSettingsDialog } from './AgentSettingsDialog.tsx';
import { ConsumptionPanel } from './ConsumptionPanel.tsx';
import { ImportConsumptionDialog } from './ImportConsumptionDialog.tsx';
import { NewProductDialog } from './NewProductDialog.tsx';
import { ProductDetailsDialog } from './ProductDetailsDialog.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

type Open = { kind: 'new' } | { kind: 'import' } | { kind: 'details'; id: string } | { kind: 'agent'; product: ProductRow } | { kind: 'delete'; product: ProductRow };

/** The Products tab: the organization's products, each row expandable to its consumption chart. */
export function ProductsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const products = useApiQuery('products.list', { orgId });
  const role = useApiQuery('products.consoleRole', {});
  const setRole = useApiMutation('products.setConsoleRole');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<Open | null>(null);
  const toggle = (id: string) => setExpanded((s) => {
    const next = new Set(s);
    if (!next.delete(id)) next.add(id);
    return next;
  });

  return (
    <div className="tab-products">
      <div className="products-toolbar">
        <h2 className="panel-title">{t('ui.products.title')}</h2>
        <span className="header-spacer" />
        <label className="products-role">
          <span className="muted small">{t('ui.products.role.label')}</span>
          <select
            className="input"
            value={role.data?.role ?? 'partner_administrator'}
            onChange={(e) => setRole.mutate({ role: e.target.value as ConsoleRole }, { onError: (err) => toast.error(errorText(t, err)) })}
          >
            {CONSOLE_ROLES.map((r) => <option key={r} value={r}>{t(`ui.products.role.${r}`)}</option>)}
          </select>
        </label>
        <button type="button" className="button" onClick={() => setOpen({ kind: 'import' })}>{t('ui.products.import.open')}</button>
        <button type="button" className="button button-primary" onClick={() => setOpen({ kind: 'new' })}>{t('ui.products.new.open')}</button>
      </div>

      {products.isPending && <p className="muted">{t('ui.app.loading')}</p>}
      {products.isError && (
        <LoadError query={products} />
      )}
      {products.data && products.data.items.length === 0 && (
        <EmptyNotice title={t('ui.products.empty.title')} help={t('ui.products.empty.body')}>
          <button type="button" className="button button-primary" onClick={() => setOpen({ kind: 'new' })}>{t('ui.products.new.open')}</button>
        </EmptyNotice>
      )}
      {products.data && products.data.items.length > 0 && (
        <section className="panel products-panel">
          <table className="data-table products-table">
            <thead>
              <tr>
                <th scope="col"><span className="visually-hidden">{t('ui.products.columns.expand')}</span></th>
                <th scope="col">{t('ui.products.columns.environment')}</th>
                <th scope="col">{t('ui.products.columns.type')}</th>
                <th scope="col">{t('ui.products.columns.code')}</th>
                <th scope="col">{t('ui.products.columns.region')}</th>
                <th scope="col">{t('ui.products.columns.created')}</th>
                <th scope="col">{t('ui.products.columns.state')}</th>
                <th scope="col"><span className="visually-hidden">{t('ui.products.columns.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {products.data.items.map((p) => {
                const isOpen = expanded.has(p.id);
                return (
                  <Fragment key={p.id}>
                    <tr data-testid={`product-${p.code}`}>
                      <td>
                        <button
                          type="button"
                          className="icon-button"
                          aria-expanded={isOpen}
                          aria-controls={`consumption-${p.id}`}
                          aria-label={t(isOpen ? 'ui.products.collapse' : 'ui.products.expand', { code: p.code })}
                          onClick={() => toggle(p.id)}
                        >
                          <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span>
                        </button>
                      </td>
                      <td>{t(`ui.products.environments.${p.environment}`, { defaultValue: p.environment })}</td>
                      <td>{p.productType}</td>
                      <th scope="row" className="mono">{p.code}</th>
                      <td>{p.region}</td>
                      <td className="nowrap">{format.date(p.createdAt)}</td>
                      <td>
                        <span className={`badge state-badge ${p.state === 'enabled' ? 'is-on' : 'is-off'}`}>
                          <span className="status-dot" aria-hidden="true" />
                          {t(`ui.products.states.${p.state}`, { defaultValue: p.state })}
                        </span>
                      </td>
                      <td className="row-actions">
                        <MenuButton
                          align="end"
                          className="button button-small"
                          label={t('ui.products.columns.actions')}
                          items={[
                            { id: 'details', label: t('ui.products.actions.details'), onSelect: () => setOpen({ kind: 'details', id: p.id }) },
                            { id: 'agent', label: t('ui.products.actions.agent'), onSelect: () => setOpen({ kind: 'agent', product: p }) },
                            { id: 'delete', label: t('ui.products.actions.delete'), onSelect: () => setOpen({ kind: 'delete', product: p }) },
                          ]}
                        />
                      </td>
                    </tr>
                    {isOpen && (
                      <tr className="consumption-row" id={`consumption-${p.id}`}>
                        <td colSpan={8}><ConsumptionPanel product={p} /></td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </section>
      )}

      {open?.kind === 'new' && <NewProductDialog orgId={orgId} onClose={() => setOpen(null)} />}
      {open?.kind === 'import' && <ImportConsumptionDialog orgId={orgId} onClose={() => setOpen(null)} />}
      {open?.kind === 'details' && <ProductDetailsDialog productId={open.id} onClose={() => setOpen(null)} />}
      {open?.kind === 'agent' && <AgentSettingsDialog product={open.product} onClose={() => setOpen(null)} />}
      {open?.kind === 'delete' && <DeleteProductDialog product={open.product} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** Deleting a product takes its consumption and reporting groups with it: the code must be typed. */
function DeleteProductDialog({ product, onClose }: { product: ProductRow; onClose(): void }) {
  const { t } = useTranslation();
  const remove = useApiMutation('products.delete');
  const [typed, setTyped] = useState('');
  return (
    <Dialog
      title={t('ui.products.delete.title', { code: product.code })}
      onClose={onClose}
      className="dialog-small"
      footer={(
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button
            type="button"
            className="button button-danger"
            disabled={typed.trim() !== product.code || remove.isPending}
            onClick={() => remove.mutate({ id: product.id, confirm: typed }, {
              onSuccess: () => { toast.success(t('ui.products.delete.done', { code: product.code })); onClose(); },
            })}
          >
            {t('ui.products.delete.confirm')}
          </button>
        </>
      )}
    >
      <p>{t('ui.products.delete.body')}</p>
      <Field label={t('products.delete_confirm', { code: product.code })} error={remove.error ? errorText(t, remove.error) : null}>
        {(f) => <input {...f} className="input input-mono" value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />}
      </Field>
    </Dialog>
  );
}
