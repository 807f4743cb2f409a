/**
 * Sample data of Products for the sample organization (called once from main/core/sample-data.ts,
 * inside its `sample.create` mutation): 120 days of daily consumption per sample product, agent
 * settings and two reporting groups with overrides, so the tab has something real to show.
 */
import type { Db } from '../db/open-database.ts';
import type { Writer } from '../mutations/pipeline.ts';
import { newId } from '../ids.ts';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../../../shared/model/products.ts';
import { addDays, dayOf } from '../../../shared/rules/products.ts';
import { consumptionId } from './consumption.ts';
import { seededRandom } from '../../../shared/seeded-random.ts';

export const SAMPLE_CONSUMPTION_DAYS = 120;

export function seedProductSamples(db: Db, w: Writer): void {
  // The rows the same transaction just wrote (same connection: visible before the commit).
  const products = db.prepare(`SELECT p.id, p.org_id, p.code FROM products p JOIN organizations o ON o.id = p.org_id
    WHERE o.is_sample = 1 ORDER BY p.code`).all() as { id: string; org_id: string; code: string }[];
  const today = dayOf(new Date(w.ctx.at));
  products.forEach((p, index) => {
    const next = seededRandom(index + 7);
    const base = 40 + index * 35;
    for (let i = SAMPLE_CONSUMPTION_DAYS - 1; i >= 0; i--) {
      const day = addDays(today, -i);
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      // Slow growth, quiet weekends, some noise.
      const figure = Math.round((base + (SAMPLE_CONSUMPTION_DAYS - i) * 0.15 * (index + 1)) * (weekend ? 0.35 : 1) * (0.85 + next() * 0.3));
      w.create('consumption', consumptionId(p.id, day), { orgId: p.org_id, productId: p.id, day, figure, source: 'sample' });
    }
    if (index !== 0) return;
    const settings: AgentSettings = {
      ...DEFAULT_AGENT_SETTINGS,
      uninstallProtection: true,
      eventLogIds: { critical: [41, 6008], error: [1000, 7031], warning: [], information: [] },
      remoteAssistance: 'interactive',
    };
    w.update('product', p.id, { agentSettings: settings, serviceNowEnvironment: 'contoso.service-now.example' });
    w.create('reportingGroup', newId(), { orgId: p.org_id, productId: p.id, name: 'Laboratory devices', overrides: { remoteAssistance: 'interactive_unattended' } });
    w.create('reportingGroup', newId(), { orgId: p.org_id, productId: p.id, name: 'Field laptops', overrides: { analyzerProxy: 'agent_detected' } });
  });
}
