/**
 * What the sample organizations show on first run in the Microservices, Reports and Modules tabs,
 * written inside the sample's own mutation (main/core/sample-data.ts) so removing the sample takes
 * it away too.
 */
import type { Db } from '../db/open-database.ts';
import type { Writer } from '../mutations/pipeline.ts';
import { newId } from '../ids.ts';
import { DEFAULT_ORG_SETTINGS } from './settings-store.ts';

const CATEGORIES = ['Maintenance', 'Network', 'Security'] as const;

const MICROSERVICES: { org: string; name: string; description: string; category: (typeof CATEGORIES)[number] | null }[] = [
  { org: 'Contoso Pharma', name: 'Clear browser cache', description: 'Empties Edge and Chrome caches for the signed-in user.', category: 'Maintenance' },
  { org: 'Contoso Pharma', name: 'Reset VPN profile', description: 'Reinstalls the corporate VPN profile.', category: 'Network' },
  { org: 'Contoso Pharma', name: 'Check BitLocker', description: 'Reports whether the system drive is encrypted.', category: 'Security' },
  { org: 'Contoso Pharma', name: 'Map lab printers', description: 'Adds the printers of the user’s site.', category: null },
  { org: 'Contoso Research', name: 'Repair Office', description: 'Runs a quick repair of Microsoft 365 Apps.', category: 'Maintenance' },
  { org: 'Contoso Research', name: 'Flush DNS', description: 'Clears the DNS resolver cache.', category: 'Network' },
];

const MODULES: { label: string; url: string; visibility: 'featured' | 'secondary'; custom: boolean }[] = [
  { label: 'Workspaces', url: 'https://workspaces.flexxible.example', visibility: 'featured', custom: false },
  { label: 'Self-service', url: 'https://selfservice.flexxible.example', visibility: 'featured', custom: false },
  { label: 'Analyzer', url: 'https://analyzer.flexxible.example', visibility: 'secondary', custom: false },
  { label: 'Lab intranet', url: 'https://intranet.contoso-pharma.example', visibility: 'featured', custom: true },
  { label: 'IT knowledge base', url: 'https://kb.contoso-pharma.example/it', visibility: 'secondary', custom: true },
];

export function seedOrgSettingsSample(db: Db, w: Writer): void {
  const idOf = (name: string) => (db.prepare('SELECT id FROM organizations WHERE name = ? AND is_sample = 1').get(name) as { id: string } | undefined)?.id;
  const contoso = idOf('Contoso Pharma');
  if (!contoso) return;
  w.create('orgSettings', contoso, { ...DEFAULT_ORG_SETTINGS, microservicesFolder: 'Contoso-Apps', microserviceCategoriesEnabled: true, reportCategoriesEnabled: true });
  const categoryIds = new Map(CATEGORIES.map((name) => {
    const id = newId();
    w.create('microserviceCategory', id, { orgId: contoso, name });
    return [name, id];
  }));
  for (const m of MICROSERVICES) {
    const orgId = idOf(m.org);
    if (!orgId) continue;
    w.create('microservice', newId(), {
      orgId, name: m.name, description: m.description, categoryId: m.category ? categoryIds.get(m.category)! : null, categoryText: null,
    });
  }
  w.create('reportCategory', newId(), {
    orgId: contoso, name: 'Usage', description: 'Who uses which workspace and when.', queries: ['Sessions per day', 'Top applications', 'Peak hours'],
  });
  w.create('reportCategory', newId(), {
    orgId: contoso, name: 'Compliance', description: 'Encryption and patch status of the devices.', queries: ['Unencrypted devices', 'Missing patches'],
  });
  for (const m of MODULES) w.create('portalModule', newId(), { orgId: contoso, ...m });
  // Fabrikam shows the free-category mode (predefined categories off).
  const fabrikam = idOf('Fabrikam Logística');
  if (fabrikam) {
    w.create('microservice', newId(), { orgId: fabrikam, name: 'Reset scanner', description: 'Restarts the handheld scanner service.', categoryId: null, categoryText: 'Warehouse' });
  }
}
