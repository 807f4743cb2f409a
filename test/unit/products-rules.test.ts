import { describe, expect, it } from 'vitest';
import {
  addDays, agentSettingsIssues, checkRange, completeSettings, daysInRange, differingSettings, hiddenSettingsFor, hiddenSettingsTouched,
  isValidDay, maskLicenseKey, mergeSettings, parseConsumptionCsv, parseCsvRecords, parseEventIdTag, periodRange, visibleSettings,
} from '../../shared/rules/products.ts';
import { AgentSettings, DEFAULT_AGENT_SETTINGS, LicenseKey, NewProduct } from '../../shared/model/products.ts';
import { productsMessages } from '../../shared/i18n/products.ts';
import { translate } from '../../shared/i18n/index.ts';

const base = DEFAULT_AGENT_SETTINGS;

describe('event log ID tags', () => {
  it('accepts whole numbers 1..65535, refuses text, signs, decimals, out of range and repeats', () => {
    expect(parseEventIdTag(' 4625 ')).toEqual({ ok: true, value: 4625 });
    expect(parseEventIdTag('65535')).toEqual({ ok: true, value: 65535 });
    expect(parseEventIdTag('0')).toMatchObject({ ok: false, key: 'products.event_id_range' });
    expect(parseEventIdTag('65536')).toMatchObject({ ok: false, key: 'products.event_id_range' });
    for (const bad of ['', 'abc', '-5', '4.5', '1e3', '12 13']) expect(parseEventIdTag(bad)).toMatchObject({ ok: false, key: 'products.event_id_invalid' });
    expect(parseEventIdTag('41', [41])).toEqual({ ok: false, key: 'products.event_id_duplicate', params: { id: 41 } });
    expect(parseEventIdTag('99', Array.from({ length: 50 }, (_, i) => i + 1))).toMatchObject({ ok: false, key: 'products.event_ids_too_many' });
  });

  it('the schema refuses the same values the tag input does', () => {
    const ids = (critical: number[]) => AgentSettings.safeParse({ ...base, eventLogIds: { ...base.eventLogIds, critical } });
    expect(ids([1, 65535]).success).toBe(true);
    expect(ids([0]).error?.issues[0]?.message).toBe('products.event_id_range');
    expect(ids([1.5]).error?.issues[0]?.message).toBe('products.event_id_invalid');
    expect(ids(Array.from({ length: 51 }, (_, i) => i + 1)).error?.issues[0]?.message).toBe('products.event_ids_too_many');
  });
});

describe('agent settings rules', () => {
  it('silent unattended needs an unattended-capable type; Simplified security forbids SYSTEM and silent sessions', () => {
    expect(agentSettingsIssues(base)).toEqual({});
    expect(agentSettingsIssues({ ...base, silentUnattended: true })).toEqual({ silentUnattended: [{ key: 'products.silent_needs_unattended' }] });
    expect(agentSettingsIssues({ ...base, silentUnattended: true, remoteAssistance: 'interactive_unattended' })).toEqual({});
    expect(agentSettingsIssues({ ...base, silentUnattended: true, remoteAssistance: 'dynamic' })).toEqual({});
    expect(agentSettingsIssues({ ...base, securityMode: 'simplified', runAsSystemRole: 'operators' }))
      .toEqual({ runAsSystemRole: [{ key: 'products.simplified_no_run_as_system' }] });
    expect(agentSettingsIssues({ ...base, securityMode: 'simplified', remoteAssistance: 'dynamic', silentUnattended: true }))
      .toEqual({ silentUnattended: [{ key: 'products.simplified_no_silent' }] });
    expect(agentSettingsIssues({ ...base, eventLogIds: { ...base.eventLogIds, warning: [7, 7] } }))
      .toEqual({ 'eventLogIds.warning': [{ key: 'products.event_id_duplicate', params: { id: 7 } }] });
  });

  it('silent unattended is off by default', () => {
    expect(DEFAULT_AGENT_SETTINGS.silentUnattended).toBe(false);
  });

  it('merges group overrides and lists only the settings that really differ', () => {
    const product = { ...base, uninstallProtection: true };
    const overrides = { uninstallProtection: true, analyzerProxy: 'agent_detected' as const };
    expect(mergeSettings(product, overrides)).toEqual({ ...product, analyzerProxy: 'agent_detected' });
    expect(differingSettings(product, overrides)).toEqual(['analyzerProxy']);
    expect(differingSettings(product, { eventLogIds: { ...base.eventLogIds } })).toEqual([]);
    expect(differingSettings(product, { eventLogIds: { ...base.eventLogIds, error: [1000] } })).toEqual(['eventLogIds']);
  });

  it('completes stored settings from the defaults (older rows, partial sync)', () => {
    expect(completeSettings({}, base)).toEqual(base);
    expect(completeSettings({ securityMode: 'simplified', eventLogIds: { error: [5] } }, base))
      .toEqual({ ...base, securityMode: 'simplified', eventLogIds: { ...base.eventLogIds, error: [5] } });
    expect(completeSettings(null, base)).toEqual(base);
  });

  it('hides uninstall protection, run-as-system and silent sessions from the Organization Administrator only', () => {
    expect(hiddenSettingsFor('partner_administrator')).toEqual([]);
    expect(hiddenSettingsFor('organization_administrator')).toEqual(['uninstallProtection', 'runAsSystemRole', 'silentUnattended']);
    const seen = visibleSettings('organization_administrator', base);
    expect(Object.keys(seen).sort()).toEqual(['analyzerProxy', 'eventLogIds', 'remoteAssistance', 'securityMode']);
    expect(visibleSettings('partner_administrator', base)).toEqual(base);
    expect(hiddenSettingsTouched('organization_administrator', ['analyzerProxy', 'silentUnattended'])).toEqual(['silentUnattended']);
    expect(hiddenSettingsTouched('partner_administrator', ['silentUnattended'])).toEqual([]);
  });
});

describe('license keys and products', () => {
  it('masks all but the last four characters', () => {
    expect(maskLicenseKey('ABCD-EFGH-1234')).toBe('••••1234');
    expect(maskLicenseKey('')).toBe('');
  });
  it('validates key format and product fields with per-field messages', () => {
    expect(LicenseKey.safeParse('ABCD-1234-EFGH').success).toBe(true);
    expect(LicenseKey.safeParse('abc').error?.issues[0]?.message).toBe('products.license_too_short');
    expect(LicenseKey.safeParse('ABCD 1234 EFGH').error?.issues[0]?.message).toBe('products.license_invalid');
    const r = NewProduct.safeParse({ orgId: '0190a000-0000-7000-8000-000000000001', environment: 'Mars', productType: 'Workspaces', code: '-bad', region: ' ' });
    expect(Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]))).toEqual({
      environment: 'products.choose_from_list', code: 'products.code_invalid', region: 'products.region_required',
    });
  });
});

describe('calendar ranges of the chart', () => {
  it('7 / 30 / 90 days end today, both ends included', () => {
    expect(periodRange('7', '2026-03-15')).toEqual({ ok: true, from: '2026-03-09', to: '2026-03-15' });
    expect(periodRange('30', '2026-03-15')).toEqual({ ok: true, from: '2026-02-14', to: '2026-03-15' });
    const r90 = periodRange('90', '2026-03-15');
    expect(r90.ok && daysInRange(r90.from, r90.to)).toBe(90);
  });
  it('a custom range must be real days, in order, not in the future, at most two years', () => {
    expect(periodRange('custom', '2026-03-15', { from: '2026-01-01', to: '2026-01-31' })).toEqual({ ok: true, from: '2026-01-01', to: '2026-01-31' });
    expect(checkRange('2026-02-30', '2026-03-01', '2026-03-15')).toMatchObject({ ok: false, field: 'from', key: 'products.day_invalid' });
    expect(checkRange('2026-03-02', '2026-03-01', '2026-03-15')).toMatchObject({ ok: false, field: 'to', key: 'products.range_order' });
    expect(checkRange('2026-03-01', '2026-03-16', '2026-03-15')).toMatchObject({ ok: false, field: 'to', key: 'products.day_in_future' });
    expect(checkRange('2020-01-01', '2026-03-01', '2026-03-15')).toMatchObject({ ok: false, key: 'products.range_too_long' });
  });
  it('knows real days, leap years and month ends', () => {
    expect(isValidDay('2024-02-29')).toBe(true);
    expect(isValidDay('2025-02-29')).toBe(false);
    expect(isValidDay('2025-13-01')).toBe(false);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});

describe('CSV of daily figures', () => {
  it('reads quoted cells, CRLF, a BOM, semicolons, and keeps the line of each record', () => {
    const records = parseCsvRecords('\uFEFFa;b\r\n"x;1";"say ""hi"""\r\n\r\n"multi\nline";2\n');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x;1', 'say "hi"'] },
      { line: 4, cells: ['multi\nline', '2'] },
    ]);
  });
  it('accepts English, Spanish and Portuguese headers in any order', () => {
    const es = parseConsumptionCsv('Cifra,Fecha,Código de producto\n5,2026-03-01,A1\n', '2026-03-15');
    expect(es).toEqual({ rows: [{ line: 2, day: '2026-03-01', code: 'A1', figure: 5 }], errors: [], total: 1 });
    const pt = parseConsumptionCsv('data;produto;valor\n2026-03-01;A1;7\n', '2026-03-15');
    expect(pt.rows[0]).toMatchObject({ figure: 7 });
  });
  it('reports each bad cell with its line and column, and a repeated product/day with the other line', () => {
    const { rows, errors } = parseConsumptionCsv('date,product code,figure\n2026-03-01,A1,3\n01/03/2026,A1,3\n2026-03-02,,x\n2026-03-01,a1,4\n', '2026-03-15');
    expect(rows).toHaveLength(1);
    expect(errors).toEqual([
      { line: 3, column: 'date', key: 'products.csv_date_invalid', params: { value: '01/03/2026' } },
      { line: 4, column: 'product', key: 'products.csv_code_required' },
      { line: 4, column: 'figure', key: 'products.csv_figure_invalid', params: { value: 'x', max: 1_000_000_000 } },
      { line: 5, column: 'date', key: 'products.csv_duplicate', params: { other: 2, code: 'a1', value: '2026-03-01' } },
    ]);
    expect(translate(errors[3]!.key, errors[3]!.params)).toBe('Line 2 already has a1 on 2026-03-01.');
  });
  it('refuses an empty file, a header without rows and a header without the needed columns', () => {
    expect(parseConsumptionCsv('', '2026-03-15').errors[0]?.key).toBe('products.csv_empty');
    expect(parseConsumptionCsv('date,product,figure\n', '2026-03-15').errors[0]?.key).toBe('products.csv_no_rows');
    expect(parseConsumptionCsv('date,figure\n2026-01-01,3\n', '2026-03-15').errors).toEqual([{ line: 1, column: 'product', key: 'products.csv_missing_column' }]);
  });
});

describe('messages', () => {
  it('every message exists in en, es and pt', () => {
    const keys = (o: object) => Object.keys((o as { products: object }).products).sort();
    expect(keys(productsMessages.es)).toEqual(keys(productsMessages.en));
    expect(keys(productsMessages.pt)).toEqual(keys(productsMessages.en));
  });
});
