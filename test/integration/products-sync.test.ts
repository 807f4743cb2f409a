import { describe, expect, it } from 'vitest';
import { testCore } from './helpers.ts';
import { must, syncedState } from '../fixtures/sync/harness.ts';
import { consumptionId } from '../../main/core/products/consumption.ts';
import type { SyncStatus } from '../../shared/model/sync.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';
import { startSeededPortal } from '../fixtures/sync/in-process-portal.ts';

type TestCore = ReturnType<typeof testCore>;
const cleanup = cleanupAfterEach();

const KEY = 'LIC-5566-7788-99ZX';
const sync = (c: TestCore) => must<SyncStatus>(c, 'sync.now', { wait: true });
const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('products through sync', () => {
  it('a product, its license record, imported figures and settings reach the Portal and another console; the key itself never leaves the keychain', async () => {
    const { portalCore, portal, seed } = await startSeededPortal(cleanup, 1);
    const consoles: TestCore[] = [];
    for (let i = 0; i < 2; i++) {
      const c = testCore();
      cleanup.push(() => c.dispose());
      await must(c, 'sync.connect', { url: portal.origin, token: seed.token });
      await sync(c);
      consoles.push(c);
    }
    const [a, b] = consoles as [TestCore, TestCore];
    const client = seed.clientIds[0]!;

    const product = await must<{ id: string; version: number }>(a, 'products.create', {
      orgId: client, environment: 'Production', productType: 'Workspaces', code: 'SYN-01', region: 'West Europe', licenseKey: KEY,
    });
    const csv = `date,product code,figure\n${day(2)},SYN-01,40\n${day(1)},SYN-01,42\n`;
    const bytes = Buffer.from(csv);
    const { fileId } = await must<{ fileId: string }>(a, 'files.begin', { filename: 'f.csv', bytes: bytes.length });
    await must(a, 'files.append', { fileId, offset: 0, base64: bytes.toString('base64') });
    expect(await must(a, 'products.importConsumption', { orgId: client, fileId })).toMatchObject({ applied: true, created: 2 });
    expect(await must(a, 'products.revealLicenseKey', { id: product.id })).toEqual({ licenseKey: KEY });
    const view = await must<{ productVersion: number }>(a, 'products.agentSettings', { productId: product.id });
    await must(a, 'products.updateAgentSettings', { productId: product.id, baseVersion: view.productVersion, changes: { analyzerProxy: 'agent_detected' } });

    // What sync keeps to re-run on the Portal: the license's mask and reference, the CSV text; never the key or the upload id.
    const outbox = a.db.prepare('SELECT method, input FROM sync_outbox ORDER BY seq').all() as { method: string; input: string }[];
    expect(outbox.map((o) => o.method)).toEqual(['products.create', 'products.importConsumption', 'products.revealLicenseKey', 'products.updateAgentSettings']);
    expect(JSON.stringify(outbox)).not.toContain(KEY);
    expect(JSON.parse(outbox[0]!.input)).toMatchObject({ code: 'SYN-01', recordedLicense: { masked: '••••99ZX' } });
    expect(JSON.parse(outbox[1]!.input)).toEqual({ orgId: client, csv });

    const status = await sync(a);
    // Every pushed call re-ran on the Portal: none rejected, none in conflict.
    expect(status).toMatchObject({ pending: 0, conflicts: 0, lastError: null });
    const onPortal = await must<{ licenseKeyMasked: string; code: string }>(portalCore, 'products.get', { id: product.id });
    expect(onPortal).toMatchObject({ code: 'SYN-01', licenseKeyMasked: '••••99ZX' });
    const figures = portalCore.db.prepare('SELECT id, figure FROM product_consumption ORDER BY day').all();
    expect(figures).toEqual([{ id: consumptionId(product.id, day(2)), figure: 40 }, { id: consumptionId(product.id, day(1)), figure: 42 }]);
    expect(portalCore.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'products.revealLicenseKey'").get()).toEqual({ n: 1 });
    expect(JSON.stringify(portalCore.db.prepare('SELECT * FROM changes').all())).not.toContain(KEY);

    await sync(b);
    expect(syncedState(b.db, [client])).toEqual(syncedState(portalCore.db, [client]));
    const onB = await must<{ settings: { analyzerProxy: string } }>(b, 'products.agentSettings', { productId: product.id });
    expect(onB.settings.analyzerProxy).toBe('agent_detected');
    // The key stayed in console A's keychain: B sees the mask and says so when asked for the key.
    const reveal = await b.call('products.revealLicenseKey', { id: product.id });
    expect(reveal.ok ? null : reveal.error.key).toBe('products.license_unavailable');
  });
});
