/**
 * Export of users to .xlsx or .csv with exactly the columns the importer reads (and a few read-only
 * ones for people), so export -> edit -> import is a round trip. Rows are read in keyset pages
 * between event-loop turns: no statement stays open across awaits and queries keep answering.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CoreDeps } from '../handlers/context.ts';
import type { ExportResult } from '../../../shared/model/user-import.ts';
import { exportColumns, formatStatus, formatYesNo, type UserSheetLanguage } from '../../../shared/rules/user-sheet.ts';
import { writeSheet } from '../io/sheet-writer.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import type { JobContext } from '../jobs/job-registry.ts';
import type { TransferStore } from '../transfers/transfer-store.ts';
import { AppError } from '../errors.ts';

// Users per page: each page is read and handed to the writer between event-loop turns.
const PAGE = 500;

export interface ExportRequest {
  orgId: string;
  includeSubOrgs: boolean;
  format: 'xlsx' | 'csv';
  language: UserSheetLanguage;
}

interface Row {
  id: string; name: string; email: string; role: string; org_id: string; status: 'active' | 'deactivated' | 'archived';
  email_login_enabled: number; source: string; created_at: string; last_login_at: string | null;
}

export async function exportUsers(deps: CoreDeps, transfers: TransferStore, req: ExportRequest, job: JobContext): Promise<ExportResult> {
  const { db } = deps;
  const tree = createOrgTree(db);
  const org = db.prepare('SELECT name FROM organizations WHERE id = ?').get(req.orgId) as { name: string } | undefined;
  if (!org) throw new AppError('NOT_FOUND', 'org.not_found');
  // Organization paths relative to the exported organization, as the importer accepts them.
  const paths = new Map(tree.pathsBelow(req.orgId).map((o) => [o.id, o.path]));
  const orgIds = req.includeSubOrgs ? [...paths.keys()] : [req.orgId];
  const pathOf = (id: string) => paths.get(id) ?? org.name;
  // The order is fixed once (ids sorted by name, one indexed query); pages then fetch by id.
  const ids = (db.prepare(`SELECT id FROM users WHERE org_id IN (SELECT value FROM json_each(?)) ORDER BY name, id`)
    .pluck().all(JSON.stringify(orgIds)) as string[]);
  const page = db.prepare(`SELECT u.id, u.name, u.email, r.name AS role, u.org_id, u.status, u.email_login_enabled, u.source, u.created_at, u.last_login_at
      FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id IN (SELECT value FROM json_each(?))`);

  const columns = exportColumns();
  const header = columns.map((c) => c.header[req.language]);
  let written = 0;
  async function* rows(): AsyncGenerator<string[]> {
    for (let start = 0; start < ids.length; start += PAGE) {
      if (job.signal.aborted) throw new AppError('BAD_INPUT', 'import.cancelled');
      const slice = ids.slice(start, start + PAGE);
      const byId = new Map((page.all(JSON.stringify(slice)) as Row[]).map((u) => [u.id, u]));
      // A user deleted since the order was fixed is simply not written.
      const batch = slice.flatMap((id) => byId.get(id) ?? []);
      for (const u of batch) {
        const cell: Record<string, string> = {
          name: u.name, email: u.email, role: u.role, organization: pathOf(u.org_id), status: formatStatus(u.status, req.language),
          emailLoginEnabled: formatYesNo(u.email_login_enabled === 1, req.language), source: u.source,
          createdAt: u.created_at.slice(0, 19).replace('T', ' '), lastLogin: u.last_login_at ? u.last_login_at.slice(0, 19).replace('T', ' ') : '',
        };
        yield columns.map((c) => cell[c.key] ?? '');
      }
      written += batch.length;
      job.progress({ phase: 'writing', done: written, total: ids.length });
      await nextTurn();
    }
  }

  const day = deps.clock.now().toISOString().slice(0, 10);
  const safeName = org.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'organization';
  const filename = `${safeName}-users-${day}.${req.format}`;
  const file = transfers.register(filename, req.format === 'xlsx'
    ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
  try {
    await writeSheet(req.format, { header, rows: rows() }, file.path);
  } catch (e) {
    transfers.discard(file.fileId);
    throw e;
  }
  return { fileId: file.fileId, filename, bytes: file.finish(), rows: written };
}

/** The empty template: the importable columns only, with one example row people can overwrite. */
export async function writeTemplate(transfers: TransferStore, format: 'xlsx' | 'csv', language: UserSheetLanguage): Promise<ExportResult> {
  const columns = exportColumns().filter((c) => !c.readOnly);
  const example: Record<string, string> = {
    name: 'Ana Pereira', email: 'ana.pereira@example.com', role: 'Operator', organization: '', status: formatStatus('active', language),
    emailLoginEnabled: formatYesNo(true, language),
  };
  const filename = `orgdesk-users-template.${format}`;
  const file = transfers.register(filename, format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
  await writeSheet(format, { header: columns.map((c) => c.header[language]), rows: [columns.map((c) => example[c.key] ?? '')] }, file.path);
  return { fileId: file.fileId, filename, bytes: file.finish(), rows: 1 };
}
