import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductRow } from '../../../shared/model/products.ts';
import { CHART_PERIODS, dayOf, periodRange, type ChartPeriod } from '../../../shared/rules/products.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText } from '../../components/errors.ts';
import { ConsumptionChart } from './ConsumptionChart.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

const today = () => dayOf(new Date());

function Series({ product, from, to, height }: { product: ProductRow; from: string; to: string; height: number }) {
  const { t } = useTranslation();
  const series = useApiQuery('products.consumption', { productId: product.id, from, to });
  if (series.isPending) return <div className="consumption-loading" style={{ height }}><span className="spinner" role="status" aria-label={t('ui.app.loading')} /></div>;
  if (series.isError) return <p className="alert alert-error" role="alert">{errorText(t, series.error)}</p>;
  if (series.data.daysWithData === 0) {
    return <EmptyNotice title={t('ui.products.chart.empty')} testId="consumption-empty" />;
  }
  return <ConsumptionChart series={series.data} height={height} label={t('ui.products.chart.label', { code: product.code })} />;
}

/** The expanded row: the last 30 days, and the way into Report Explorer. */
export function ConsumptionPanel({ product }: { product: ProductRow }) {
  const { t } = useTranslation();
  const [exploring, setExploring] = useState(false);
  const range = periodRange('30', today());
  return (
    <div className="consumption-panel">
      <div className="consumption-panel-header">
        <h3 className="consumption-title">{t('ui.products.chart.last30')}</h3>
        <button type="button" className="button button-small" onClick={() => setExploring(true)}>{t('ui.products.explorer.open')}</button>
      </div>
      {range.ok && <Series product={product} from={range.from} to={range.to} height={160} />}
      {exploring && <ReportExplorerDialog product={product} onClose={() => setExploring(false)} />}
    </div>
  );
}

/** Report Explorer: the same chart, larger, with period filters (7 / 30 / 90 days, custom range). */
export function ReportExplorerDialog({ product, onClose }: { product: ProductRow; onClose(): void }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<ChartPeriod>('30');
  const initial = periodRange('30', today());
  const [custom, setCustom] = useState(initial.ok ? { from: initial.from, to: initial.to } : { from: '', to: '' });
  const range = periodRange(period, today(), custom);
  return (
    <Dialog title={t('ui.products.explorer.title', { code: product.code })} onClose={onClose} className="dialog-wide">
      <div className="explorer-filters" role="radiogroup" aria-label={t('ui.products.explorer.period')}>
        {CHART_PERIODS.map((p) => (
          <label key={p} className={`period-option ${period === p ? 'is-selected' : ''}`}>
            <input type="radio" name="period" value={p} checked={period === p} onChange={() => setPeriod(p)} />
            <span>{t(`ui.products.explorer.periods.${p}`)}</span>
          </label>
        ))}
      </div>
      {period === 'custom' && (
        <div className="explorer-custom">
          <Field label={t('ui.products.explorer.from')} error={!range.ok && range.field === 'from' ? t(range.key, range.params) : null}>
            {(p) => <input {...p} type="date" className="input" value={custom.from} max={today()} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />}
          </Field>
          <Field label={t('ui.products.explorer.to')} error={!range.ok && range.field === 'to' ? t(range.key, { ...range.params, value: custom.to }) : null}>
            {(p) => <input {...p} type="date" className="input" value={custom.to} max={today()} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />}
          </Field>
        </div>
      )}
      {range.ok
        ? <Series product={product} from={range.from} to={range.to} height={340} />
        : <p className="muted">{t('ui.products.explorer.fixRange')}</p>}
    </Dialog>
  );
}
