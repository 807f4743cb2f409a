/**
 * Writing a users file (export or template) from the database: what the export worker runs, off
 * the core's thread (the xlsx writer is CPU work, and exceljs costs ~33 MB in every thread that
 * loads it). Rows are read in pages by a fixed id order: no statement stays open across awaits.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../db/open-database.ts';
import { exportColumns, formatStatus, formatYesNo, type UserSheetLanguage } from '../../../shared/rules/user-sheet.ts';
import { writeSheet } from '../io/sheet-writer.ts';
import { createOrgTree } from '../handlers/org-tree.ts';

// Users per page: each page is read and handed to the writer between event-loop turns.
const PAGE = 500;

export interface UsersFileRequest {
  kind: 'export' | 'template';
  orgId: string;
  includeSubOrgs: boolean;
  format: 'xlsx' | 'csv';
  language: UserSheetLanguage;
}

interface Row {
  id: string; name: string; email: string; role: string; org_id: string; status: 'active' | 'deactivated' | 'archived';
  email_login_enabled: number; source: string; created_at: string; last_login_at: string | null;
}

export class Cancelled extends Error {}

/** Write the file to `path`; returns the number of user rows written. */
export async function writeUsersFile(
  db: Db, req: UsersFileRequest, path: string,
  progress: (done: number, total: number) => void, cancelled: () => boolean,
): Promise<number> {
  if (req.kind === 'template') {
    const columns = exportColumns().filter((c) => !c.readOnly);
    const example: Record<string, string> = {
      name: 'Ana Pereira', email: 'ana.pereira@example.com', role: 'Operator', organization: '',
      status: formatStatus('active', req.language), emailLoginEnabled: formatYesNo(true, req.language),
    };
    await writeSheet(req.format, { header: columns.map((c) => c.header[req.language]), rows: [columns.map((c) => example[c.key] ?? '')] }, path);
    return 1;
  }
  const tree = createOrgTree(db);
  // Organization paths relative to the exported organization, as the importer accepts them.
  const paths = new Map(tree.pathsBelow(req.orgId).map((o) => [o.id, o.path]));
  const orgIds = req.includeSubOrgs ? [...paths.keys()] : [req.orgId];
  const ids = db.prepare('SELECT id FROM users WHERE org_id IN (SELECT value FROM json_each(?)) ORDER BY name, id')
    .pluck().all(JSON.stringify(orgIds)) as string[];
  const page = db.prepare(`SELECT u.id, u.name, u.email, r.name AS role, u.org_id, u.status, u.email_login_enabled, u.source, u.created_at, u.last_login_at
      FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id IN (SELECT value FROM json_each(?))`);
  const columns = exportColumns();
  let written = 0;
  async function* rows(): AsyncGenerator<string[]> {
    for (let start = 0; start < ids.length; start += PAGE) {
      if (cancelled()) throw new Cancelled();
      const slice = ids.slice(start, start + PAGE);
      const byId = new Map((page.all(JSON.stringify(slice)) as Row[]).map((u) => [u.id, u]));
      // A user deleted since the order was fixed is simply not written.
      const batch = slice.flatMap((id) => byId.get(id) ?? []);
      for (const u of batch) {
        const cell: Record<string, string> = {
          name: u.name, email: u.email, role: u.role, organization: paths.get(u.org_id) ?? '', status: formatStatus(u.status, req.language),
          emailLoginEnabled: formatYesNo(u.email_login_enabled === 1, req.language), source: u.source,
          createdAt: u.created_at.slice(0, 19).replace('T', ' '), lastLogin: u.last_login_at ? u.last_login_at.slice(0, 19).replace('T', ' ') : '',
        };
        yield columns.map((c) => cell[c.key] ?? '');
      }
      written += batch.length;
      progress(written, ids.length);
      await nextTurn(); // lets a cancel message in
    }
  }
  await writeSheet(req.format, { header: columns.map((c) => c.header[req.language]), rows: rows() }, path);
  return written;
}
