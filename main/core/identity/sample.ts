/**
 * What the sample organizations show on first run in the Domains tab: their email domains,
 * registered and waiting for the DNS record (the .example names can never verify, which is the
 * honest state of a sample). Written inside the sample's own mutation (main/core/sample-data.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open-database.ts';
import type { Writer } from '../mutations/pipeline.ts';
import { newId } from '../ids.ts';

const SAMPLE_DOMAINS: { org: string; domains: string[] }[] = [
  { org: 'Contoso Pharma', domains: ['contoso-pharma.example'] },
  { org: 'Fabrikam Logística', domains: ['fabrikam-log.example'] },
];

export function seedIdentitySample(db: Db, w: Writer): void {
  const orgId = db.prepare('SELECT id FROM organizations WHERE name = ? AND is_sample = 1');
  for (const { org, domains } of SAMPLE_DOMAINS) {
    const row = orgId.get(org) as { id: string } | undefined;
    if (!row) continue;
    for (const name of domains) {
      w.create('domain', newId(), {
        orgId: row.id, name, displayName: name, status: 'unverified', verificationToken: randomBytes(18).toString('base64url'),
        verifiedAt: null, lastCheck: null,
      });
    }
  }
}
