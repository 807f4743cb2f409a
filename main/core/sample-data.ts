import { newId as uuidv7 } from './ids.ts';
import type { Db } from './db/open-database.ts';
import type { MutationRunner } from './mutations/pipeline.ts';
import type { Actor } from '../../shared/model/organization.ts';
import type { OrgType, Sector } from '../../shared/model/organization.ts';
import { seedProductSamples } from './products/sample.ts';
import { seedOrgSettingsSample } from './org-settings/sample.ts';
import { seedIdentitySample } from './identity/sample.ts';

/**
 * First run: with no organizations at all, the console opens on a sample partner with clients and
 * sub-organizations (marked is_sample, removable with one click), written through the same
 * mutation pipeline as everything else. It is seeded once; removing it does not bring it back.
 */
interface SampleOrg {
  name: string;
  type: OrgType;
  email: string;
  country: string;
  language: string;
  sector: Sector;
  description?: string;
  users?: [string, string, string][]; // name, email, role
  products?: [string, string, string, string][]; // environment, type, code, region
  children?: SampleOrg[];
}

const SAMPLE: SampleOrg = {
  name: 'Northwind IT Services (sample)',
  type: 'partner',
  email: 'ops@northwind-it.example',
  country: 'ES',
  language: 'es',
  sector: 'technology',
  description: 'A sample managed service provider. Remove it from the banner when you no longer need it.',
  users: [['Lucía Romero', 'lucia.romero@northwind-it.example', 'Organization Administrator']],
  children: [
    {
      name: 'Contoso Pharma', type: 'client', email: 'it@contoso-pharma.example', country: 'US', language: 'en',
      sector: 'healthcare',
      users: [
        ['Megan Bowen', 'megan.bowen@contoso-pharma.example', 'Organization Administrator'],
        ['Alex Wilber', 'alex.wilber@contoso-pharma.example', 'Operator'],
        ['Diego Siciliani', 'diego.siciliani@contoso-pharma.example', 'Read-only'],
      ],
      products: [['Production', 'Workspaces', 'CTP-PRD-01', 'West Europe'], ['Test', 'Analyzer', 'CTP-TST-01', 'East US']],
      children: [
        {
          name: 'Contoso Research', type: 'suborg', email: 'research@contoso-pharma.example', country: 'US',
          language: 'en', sector: 'healthcare',
          users: [['Isaiah Langer', 'isaiah.langer@contoso-pharma.example', 'Operator']],
          children: [
            { name: 'Contoso Clinical Trials', type: 'suborg', email: 'trials@contoso-pharma.example', country: 'DE', language: 'de', sector: 'healthcare' },
          ],
        },
        { name: 'Contoso Manufacturing', type: 'suborg', email: 'plant@contoso-pharma.example', country: 'IE', language: 'en', sector: 'manufacturing' },
      ],
    },
    {
      name: 'Fabrikam Logística', type: 'client', email: 'ti@fabrikam-log.example', country: 'BR', language: 'pt-BR',
      sector: 'logistics',
      users: [
        ['João Pereira', 'joao.pereira@fabrikam-log.example', 'Organization Administrator'],
        ['Ana Souza', 'ana.souza@fabrikam-log.example', 'Operator'],
      ],
      products: [['Production', 'Workspaces', 'FBK-PRD-01', 'Brazil South']],
      children: [
        {
          name: 'Fabrikam São Paulo', type: 'suborg', email: 'sp@fabrikam-log.example', country: 'BR', language: 'pt-BR', sector: 'logistics',
          children: [
            { name: 'Fabrikam Armazém Norte', type: 'suborg', email: 'norte@fabrikam-log.example', country: 'BR', language: 'pt-BR', sector: 'logistics' },
          ],
        },
      ],
    },
    {
      name: 'Tailspin Toys', type: 'client', email: 'admin@tailspin.example', country: 'GB', language: 'en',
      sector: 'retail',
      users: [['Nestor Wilke', 'nestor.wilke@tailspin.example', 'Organization Administrator']],
      children: [
        { name: 'Tailspin Stores', type: 'suborg', email: 'stores@tailspin.example', country: 'GB', language: 'en', sector: 'retail' },
      ],
    },
  ],
};

const SEEDED_KEY = 'sample_seeded';

export function seedSampleOnFirstRun(db: Db, mutations: MutationRunner, actor: Actor): boolean {
  const seeded = db.prepare('SELECT value FROM meta WHERE key = ?').get(SEEDED_KEY);
  const count = (db.prepare('SELECT count(*) AS n FROM organizations').get() as { n: number }).n;
  if (seeded || count > 0) return false;
  const roleIds = new Map((db.prepare('SELECT id, name FROM roles').all() as { id: string; name: string }[]).map((r) => [r.name, r.id]));
  mutations.run('sample.create', actor, (w) => {
    const add = (org: SampleOrg, parentId: string | null) => {
      const id = uuidv7();
      w.create('organization', id, {
        type: org.type, parentId, name: org.name, email: org.email, language: org.language, country: org.country,
        sector: org.sector, description: org.description ?? '', isSample: true,
      });
      for (const [name, email, role] of org.users ?? []) {
        w.create('user', uuidv7(), { orgId: id, name, email, roleId: roleIds.get(role)!, status: 'active', source: 'manual', emailLoginEnabled: false });
      }
      for (const [environment, productType, code, region] of org.products ?? []) {
        w.create('product', uuidv7(), { orgId: id, environment, productType, code, region, state: 'enabled' });
      }
      for (const child of org.children ?? []) add(child, id);
    };
    add(SAMPLE, null);
    seedProductSamples(db, w);
    seedOrgSettingsSample(db, w);
    seedIdentitySample(db, w);
  });
  // Remember that the sample was offered (a meta flag, not an entity: nothing to sync or audit).
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(SEEDED_KEY, new Date().toISOString());
  return true;
}
