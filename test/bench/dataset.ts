import { v7 as uuidv7 } from 'uuid';
import type { Core } from '../../main/core/create-core.ts';
import type { OrgType } from '../../shared/model/organization.ts';

/** The built-in Operator role (main/core/db/migrations.ts, schema 3). */
export const OPERATOR_ROLE_ID = '00000000-0000-7000-8000-000000000002';

const WORDS = ['Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Litware', 'Adatum', 'Woodgrove', 'Proseware', 'Lucerne',
  'Wingtip', 'Alpine', 'Coho', 'Fourth', 'Margie', 'Trey', 'Humongous', 'Blue Yonder', 'Graphic', 'Relecloud', 'Wide World',
  'São', 'Zürich', 'Logística', 'Clínica', 'Café', 'Nordic', 'Atlas', 'Vertex', 'Summit', 'Harbor'];
const KINDS = ['Health', 'Retail', 'Logistics', 'Bank', 'Labs', 'Foods', 'Energy', 'Media', 'Legal', 'Travel'];

/**
 * A realistic tree written through the mutation pipeline (in chunked transactions, as an import
 * job would): 1 partner per 100 organizations, clients under partners, sub-organizations under
 * clients two levels deep, users spread over them.
 */
export function buildDataset(core: Core, orgCount: number, userCount: number) {
  const actor = core.profile();
  const orgs: { id: string; type: OrgType }[] = [];
  const clients: string[] = [];
  let partner = '';
  const orgNames: string[] = [];
  const CHUNK = 2000;
  for (let start = 0; start < orgCount; start += CHUNK) {
    core.deps.mutations.run('bench.createOrganizations', actor, (w) => {
      for (let i = start; i < Math.min(orgCount, start + CHUNK); i++) {
        const type: OrgType = i % 100 === 0 ? 'partner' : i % 3 === 0 && clients.length > 0 ? 'suborg' : 'client';
        const parent = type === 'partner' ? null : type === 'client' ? partner : clients[(i * 31) % clients.length]!;
        const name = `${WORDS[i % WORDS.length]} ${KINDS[(i >> 3) % KINDS.length]} ${i}`;
        const id = uuidv7();
        w.create('organization', id, {
          type, parentId: parent, name, email: `it${i}@org${i}.example`, language: 'en', country: 'US', sector: 'other', description: '', isSample: false,
        });
        orgs.push({ id, type });
        if (type === 'partner') partner = id;
        if (type === 'client') clients.push(id);
        orgNames.push(name);
      }
    });
  }
  for (let start = 0; start < userCount; start += CHUNK * 2) {
    core.deps.mutations.run('bench.createUsers', actor, (w) => {
      for (let i = start; i < Math.min(userCount, start + CHUNK * 2); i++) {
        const org = orgs[(i * 7) % orgs.length]!;
        w.create('user', uuidv7(), { orgId: org.id, name: `User ${i}`, email: `user${i}@bench.example`, roleId: OPERATOR_ROLE_ID, status: 'active', source: 'import', emailLoginEnabled: i % 2 === 0 });
      }
    });
  }
  return { orgs, orgNames };
}
