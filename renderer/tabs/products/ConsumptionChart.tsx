import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ConsumptionSeries } from '../../../shared/model/products.ts';
import { useFormat } from '../../i18n/format.ts';

/**
 * A product's daily figures as bars (recharts: SVG with styles set through the DOM, which the
 * renderer's style-src 'self' allows). A day without data is a gap, not a zero.
 */
export function ConsumptionChart({ series, height, label }: { series: ConsumptionSeries; height: number; label: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const day = (d: string) => format.shortDate(`${d}T00:00:00Z`);
  return (
    <figure className="consumption-chart" aria-label={label} data-testid="consumption-chart" data-points={series.points.length} data-from={series.from} data-to={series.to}>
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={series.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
            <XAxis dataKey="day" tickFormatter={day} minTickGap={24} tick={{ fontSize: 11 }} />
            <YAxis width={48} allowDecimals={false} tickFormatter={(v: number) => format.number(v)} tick={{ fontSize: 11 }} />
            <Tooltip
              labelFormatter={(d) => format.date(`${String(d)}T00:00:00Z`)}
              formatter={(v) => [v === null || v === undefined ? t('ui.products.chart.noData') : format.number(Number(v)), t('ui.products.chart.figure')]}
            />
            <Bar dataKey="figure" fill="var(--accent, #2563eb)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="consumption-stats">
        <span>{t('ui.products.chart.total', { value: format.number(series.total) })}</span>
        <span>{t('ui.products.chart.average', { value: series.average === null ? '—' : format.number(series.average) })}</span>
        <span>{series.peak ? t('ui.products.chart.peak', { value: format.number(series.peak.figure ?? 0), day: day(series.peak.day) }) : t('ui.products.chart.noPeak')}</span>
        <span>{t('ui.products.chart.days', { count: series.daysWithData, total: series.points.length })}</span>
        {series.sources.length > 0 && (
          <span>{t('ui.products.chart.sources', { list: series.sources.map((s) => t(`ui.products.chart.source.${s}`, { defaultValue: s })).join(', ') })}</span>
        )}
      </figcaption>
    </figure>
  );
}
