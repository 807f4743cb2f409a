/**
 * Bulk import of users from a spreadsheet, with the Flexopus options: update existing users,
 * deactivate users not in the file, restore deactivated users present in the file, dry run (and
 * "apply only if every row is valid").
 *
 *  1. read + validate (off the core's thread: the file is parsed in its own worker);
 *  2. classify every row against the current users — holding the core's writer, so nothing changes
 *     between the decision and the write;
 *  3. apply in ONE transaction on a second connection, in chunks that yield to the event loop
 *     (queries keep answering; readers never see half an import); cancel, error or crash = rollback.
 *
 * A real import does the three at once, batch by batch, holding the writer from the start (see
 * createImportRun); a dry run reads first without the writer, then classifies holding it.
 *
 * Row numbers are the file's own (the header is row 1). Rows with problems are reported per row and
 * column; the valid rows are applied (unless allOrNothing).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { newId as uuidv7 } from '../ids.ts';
import type { CoreDeps } from '../handlers/context.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { ImportOptions, ImportPreviewRow, ImportResult } from '../../../shared/model/user-import.ts';
import {
  cleanCell, findDuplicateEmails, duplicateEmailIssue, headerIssues, matchHeaders, userSheetColumn, validateUserRow,
  type RowIssue, type UserSheetCell, type UserSheetKey, type UserRowValue,
} from '../../../shared/rules/user-sheet.ts';
import { translate, type UiLanguage } from '../../../shared/i18n/index.ts';
import { readSheetInWorker } from '../io/read-in-worker.ts';
import { SheetError } from '../io/sheet-error.ts';
import { AppError } from '../errors.ts';
import { runLongMutation, startApplyWorker, type LongOp, type StartedApplyWorker } from '../mutations/long-mutation.ts';
import type { Row } from '../mutations/pipeline.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import type { JobContext } from '../jobs/job-registry.ts';
import type { TransferStore } from '../transfers/transfer-store.ts';

const PREVIEW_ROWS = 50;
// A row classified as a new user (see Write).
const CREATE = 'create';
// Rows per batch from the reader: 500 rows travel as ~90 KB of JSON, under V8's large-object size
// (~128 KB), so each batch's text dies young instead of waiting in large-object space for a full
// collection (1,000-row batches left ~20 MB of it on the core's heap during a 100,000-row import).
const READ_BATCH = 500;
// Rows classified per slice of synchronous work before yielding to the event loop.
const CLASSIFY_SLICE = 2000;

/** What is kept of each row: its values and problems, not its cells (the error report re-reads the file). */
interface ParsedRow {
  rowNumber: number;
  value: UserRowValue;
  /** Problems by column; null for a clean row (most of them: no empty map per row). */
  issues: Map<UserSheetKey, RowIssue[]> | null;
}

function addIssue(row: ParsedRow, key: UserSheetKey, issue: RowIssue): void {
  row.issues ??= new Map();
  const list = row.issues.get(key) ?? [];
  list.push(issue);
  row.issues.set(key, list);
}

interface ExistingUser {
  id: string;
  org_id: string;
  name: string;
  email_fold: string;
  role_id: string;
  status: 'active' | 'deactivated' | 'archived';
  email_login_enabled: number;
}

export interface ImportRequest {
  orgId: string;
  file: { path: string; filename: string };
  options: ImportOptions;
  language: UiLanguage;
  actor: Actor;
  /**
   * Which roles this import may hand out and whose users it may change (absent: all). The REST API
   * passes its key's reach, so an Operator key cannot make, change or deactivate an administrator.
   */
  mayTouchRole?: (roleId: string) => boolean;
}

export interface ImportServices {
  deps: CoreDeps;
  transfers: TransferStore;
}

const say = (issue: RowIssue, lang: UiLanguage) => translate(issue.key, issue.params, lang);

/** The file repeats an email: which rows are duplicates is known only once all of it is read. */
class RepeatedEmail extends Error {}
/** Nothing is to be written after all ("apply only if every row is valid" found errors, or no row changes anything). */
class NothingToApply extends Error {}

export async function importUsers(services: ImportServices, req: ImportRequest, job: JobContext): Promise<ImportResult> {
  const { deps } = services;
  if (!deps.db.prepare('SELECT 1 FROM organizations WHERE id = ?').get(req.orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
  // A real import's apply worker starts now: it loads and opens its connection while this waits for
  // the writer and reads the first rows (it is the import's critical path; ~0.2 s).
  const worker = req.options.dryRun ? null : startApplyWorker(deps.dataDir, deps.workers.apply);
  try {
    const run = createImportRun(services, req, job, worker);
    if (!req.options.dryRun) {
      // Read, classify and apply at once: the apply worker writes the rows of one batch while the next
      // ones are read. Holding the writer from the start, so nothing changes between decision and write.
      const streamed = await deps.withWriter(() => run.streaming());
      if (streamed) return streamed;
    }
    return await run.inTwoPasses();
  } finally {
    worker?.dispose(); // when nothing was applied after all
  }
}

/**
 * One import: what rows may name, the file's header, the classification of each row. Two ways to run
 * it: `streaming` (a real import: each batch of rows is classified as it is read and handed to the
 * apply worker, the core never holds the whole file) and `inTwoPasses` (a dry run, or a file that
 * repeats an email — then both rows are errors, which only the whole file tells: read everything,
 * then classify and apply).
 */
function createImportRun(services: ImportServices, req: ImportRequest, job: JobContext, startedWorker: StartedApplyWorker | null) {
  let unusedWorker = startedWorker;
  const { deps } = services;
  const { db } = deps;
  const tree = createOrgTree(db);

  // --- what rows may name ----------------------------------------------------------------------
  const roles = db.prepare('SELECT id, name FROM roles').all() as { id: string; name: string }[];
  const roleIdByName = new Map(roles.map((r) => [r.name, r.id]));
  const roleNames = roles.map((r) => r.name);
  const organizations = tree.pathsBelow(req.orgId);
  const targetOrgs = organizations.map((o) => o.id);
  const inTarget = new Set(targetOrgs);
  const orgLabel = new Map(organizations.map((o) => [o.id, o.path]));

  // --- the file's header (set when the reader reaches it) ------------------------------------------
  let header: string[] = [];
  let headerText: Partial<Record<UserSheetKey, string>> = {};
  let columnOf: (UserSheetKey | null)[] = [];
  const column = (key: UserSheetKey) => headerText[key] ?? userSheetColumn(key).header.en;

  /** The file's rows, validated, a batch at a time. A bad header throws BAD_INPUT; so does an unreadable file. */
  async function* validatedBatches(notices: string[], unknownColumns: string[]): AsyncGenerator<ParsedRow[]> {
    try {
      for await (const event of readSheetInWorker(req.file.path, { signal: job.signal, workerUrl: deps.workers.sheet, batchSize: READ_BATCH })) {
        if (event.type === 'header') {
          header = event.header;
          const match = matchHeaders(header);
          const issues = headerIssues(header, match);
          if (issues.errors.length > 0) {
            const message = issues.errors.map((i) => say(i, req.language)).join(' ');
            throw new AppError('BAD_INPUT', issues.errors[0]!.key, { ...issues.errors[0]!.params, all: message });
          }
          columnOf = match.columnOf;
          unknownColumns.push(...match.unknown.map((u) => u.header));
          for (const w of issues.warnings) notices.push(say(w, req.language));
          for (const n of event.notices) notices.push(translate(n.key, n.params, req.language));
          headerText = Object.fromEntries(columnOf.flatMap((k, i) => (k ? [[k, header[i]!]] : []))) as Partial<Record<UserSheetKey, string>>;
          continue;
        }
        const batch: ParsedRow[] = [];
        for (const row of event.rows) {
          if (row.cells.every((c) => c.trim() === '')) continue; // blank lines people leave in sheets
          const cells: Partial<Record<UserSheetKey, UserSheetCell>> = {};
          columnOf.forEach((key, i) => {
            if (!key) return;
            const text = row.cells[i] ?? '';
            cells[key] = row.formulas?.includes(i) ? { formula: true, text } : text;
          });
          const result = validateUserRow(cells, { roles: roleNames, organizations, headers: headerText });
          const found = Object.entries(result.errors) as [UserSheetKey, RowIssue[]][];
          batch.push({ rowNumber: row.rowNumber, value: result.value, issues: found.length > 0 ? new Map(found) : null });
        }
        job.progress({ phase: 'reading', done: event.bytesRead, total: event.totalBytes });
        yield batch;
        // Batches already queued resolve as microtasks: without a real turn, other calls would wait
        // until the whole file was validated.
        await nextTurn();
      }
    } catch (e) {
      // A file that cannot be read: its reason, in the person's words; nothing was changed.
      if (e instanceof SheetError) throw new AppError('BAD_INPUT', e.key, e.params);
      throw e;
    }
  }

  /** The users rows are matched against (email is the key), read holding the writer. */
  function existingUsers(): Map<string, ExistingUser> {
    const scope = tree.subtree(tree.mainOf(req.orgId));
    return new Map(
      (db.prepare(`SELECT id, org_id, name, email_fold, role_id, status, email_login_enabled FROM users
                   WHERE org_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(scope)) as ExistingUser[])
        .map((u) => [u.email_fold, u]),
    );
  }

  function newResult(notices: string[], unknownColumns: string[]): ImportResult {
    return {
      dryRun: req.options.dryRun, created: [], updated: [], restored: [], deleted: 0, skipped: [], errors: [], errorMessages: {},
      rows: 0, filename: req.file.filename, applied: false, preview: [], notices, unknownColumns, errorReportFileId: null,
    };
  }

  /**
   * Classify one row against the users: recorded in `result` (created, updated, skipped, errors,
   * the preview) and returned as what to write, if anything.
   */
  function createClassifier(existing: Map<string, ExistingUser>, result: ImportResult) {
    const loginAllowed = new Map<string, boolean>();
    const emailPasswordEnabled = (orgId: string) => {
      let allowed = loginAllowed.get(orgId);
      if (allowed === undefined) loginAllowed.set(orgId, (allowed = tree.emailPasswordEnabled(orgId)));
      return allowed;
    };
    const preview = (row: ParsedRow, action: ImportPreviewRow['action'], changes: string[] = []) => {
      if (result.preview.length >= PREVIEW_ROWS) return;
      const messages = [...(row.issues?.values() ?? [])].flat().map((i) => say(i, req.language));
      result.preview.push({
        row: row.rowNumber, action, name: row.value.name, email: row.value.email, role: row.value.role ?? '',
        organization: row.value.organizationId ? (orgLabel.get(row.value.organizationId) ?? '') : '', changes, messages,
      });
    };
    const fail = (row: ParsedRow) => {
      result.errors.push(row.rowNumber);
      const byColumn: Record<string, string[]> = {};
      for (const [key, issues] of row.issues ?? []) byColumn[column(key)] = issues.map((i) => say(i, req.language));
      result.errorMessages[String(row.rowNumber)] = byColumn;
      preview(row, 'error');
    };
    return (row: ParsedRow): Write | null => {
      const v = row.value;
      const current = existing.get(v.email);
      const orgId = v.organizationId ?? current?.org_id ?? req.orgId;
      if (!row.issues && current && !inTarget.has(current.org_id)) {
        addIssue(row, 'email', { key: 'import.email_elsewhere', params: { column: column('email'), value: v.email } });
      }
      if (!row.issues && v.emailLoginEnabled === true && !emailPasswordEnabled(orgId)) {
        addIssue(row, 'emailLoginEnabled', { key: 'import.email_login_off', params: { column: column('emailLoginEnabled') } });
      }
      if (!row.issues && req.mayTouchRole) {
        if (v.role && !req.mayTouchRole(roleIdByName.get(v.role)!)) addIssue(row, 'role', { key: 'apiKey.import_role_above_key', params: { role: v.role } });
        else if (current && !req.mayTouchRole(current.role_id)) addIssue(row, 'email', { key: 'apiKey.import_user_above_key', params: { value: v.email } });
      }
      if (row.issues) {
        fail(row);
        return null;
      }
      const roleId = v.role ? roleIdByName.get(v.role)! : undefined;
      if (!current) {
        result.created.push(row.rowNumber);
        preview(row, 'create');
        return CREATE;
      }
      const patch: Record<string, unknown> = {};
      const inactive = current.status !== 'active';
      if (req.options.update) {
        if (v.name && v.name !== current.name) patch.name = v.name;
        if (roleId && roleId !== current.role_id) patch.roleId = roleId;
        if (v.organizationId && v.organizationId !== current.org_id) patch.orgId = v.organizationId;
        if (v.emailLoginEnabled !== undefined && v.emailLoginEnabled !== (current.email_login_enabled === 1)) patch.emailLoginEnabled = v.emailLoginEnabled;
        if (v.status && v.status !== current.status && !(inactive && v.status === 'active' && !req.options.restore)) patch.status = v.status;
      }
      if (req.options.restore && inactive && (v.status === undefined || v.status === 'active')) patch.status = 'active';
      if (inactive && !req.options.restore && patch.status === undefined) {
        // A deactivated user stays as is unless "restore" is on: nothing else is changed either.
        result.skipped.push(row.rowNumber);
        preview(row, 'skip');
        return null;
      }
      if (Object.keys(patch).length === 0) {
        result.skipped.push(row.rowNumber);
        preview(row, 'skip');
        return null;
      }
      result.updated.push(row.rowNumber);
      if (patch.status === 'active' && inactive) result.restored.push(row.rowNumber);
      preview(row, patch.status === 'active' && inactive ? 'restore' : 'update', Object.keys(patch));
      return { id: current.id, patch };
    };
  }

  /** The op of a row classified as a write; users whose email login it switches on go to `welcome`. */
  function opOf(row: ParsedRow, write: Write, welcome: string[]): LongOp {
    if (write === CREATE) {
      const v = row.value;
      const id = uuidv7();
      if (v.emailLoginEnabled === true) welcome.push(id);
      return {
        op: 'create', entity: 'user', id,
        values: {
          orgId: v.organizationId ?? req.orgId, name: v.name, email: v.email,
          roleId: v.role ? roleIdByName.get(v.role)! : READ_ONLY_ROLE_ID, status: v.status ?? 'active',
          source: 'import', emailLoginEnabled: v.emailLoginEnabled ?? false,
        },
      };
    }
    if (write.patch.emailLoginEnabled === true) welcome.push(write.id);
    return { op: 'update', entity: 'user', id: write.id, patch: write.patch };
  }

  /** "Deactivate users not in the file": the active users of the target organizations it does not name. */
  function deactivations(existing: Map<string, ExistingUser>, inFile: Set<string>, result: ImportResult): LongOp[] {
    const ops: LongOp[] = [];
    for (const u of existing.values()) {
      if (u.status === 'active' && inTarget.has(u.org_id) && !inFile.has(u.email_fold) && (req.mayTouchRole?.(u.role_id) ?? true)) {
        ops.push({ op: 'update', entity: 'user', id: u.id, patch: { status: 'deactivated' } });
        result.deleted++;
      }
    }
    return ops;
  }

  /** The failed rows as .xlsx, when there are any: a second, streaming pass over the file picks their original cells. */
  async function writeErrorReport(result: ImportResult): Promise<void> {
    if (result.errors.length === 0) return;
    const failed = new Set(result.errors);
    const report = services.transfers.register(`${req.file.filename.replace(/\.[^.]+$/, '')}-errors.xlsx`,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    async function* failedRows() {
      for await (const event of readSheetInWorker(req.file.path, { signal: job.signal, workerUrl: deps.workers.sheet })) {
        if (event.type !== 'rows') continue;
        for (const r of event.rows) {
          if (!failed.has(r.rowNumber)) continue;
          yield { rowNumber: r.rowNumber, cells: r.cells, messages: Object.values(result.errorMessages[String(r.rowNumber)] ?? {}).flat() };
        }
      }
    }
    // Loaded only when a file has errors: the xlsx writer (exceljs) stays out of the core otherwise.
    const { writeErrorReport: write } = await import('../io/sheet-writer.ts');
    await write({ header, language: req.language, rows: failedRows() }, report.path);
    report.finish();
    result.errorReportFileId = report.fileId;
  }

  /** The apply worker's run, with the job's cancel and progress (`showProgress` says when it is shown). */
  function apply(ops: Parameters<typeof runLongMutation>[0]['ops'], total: number | undefined, showProgress: () => boolean) {
    const worker = unusedWorker;
    unusedWorker = null; // one mutation per worker: a second pass starts its own
    return runLongMutation({
      dataDir: deps.dataDir, name: 'users.import', actor: req.actor, at: deps.clock.now(), ops, ...(total === undefined ? {} : { total }),
      signal: job.signal, workerUrl: deps.workers.apply, ...(worker ? { worker } : {}),
      onProgress: (done, total) => {
        if (showProgress()) job.progress({ phase: 'applying', done, total });
      },
    });
  }

  /**
   * A real import in one pass, holding the writer: each batch is classified as it is read and its
   * writes handed to the apply worker, which applies them meanwhile in its one transaction. A repeated
   * email (both rows become errors: only the whole file tells), or "apply only if every row is valid"
   * with errors, or nothing to write, rolls that transaction back. Returns null when the file must be
   * read again in two passes (a repeated email); otherwise the result, applied or not.
   */
  async function streaming(): Promise<ImportResult | null> {
    const notices: string[] = [];
    const unknownColumns: string[] = [];
    const result = newResult(notices, unknownColumns);
    const existing = existingUsers();
    const classify = createClassifier(existing, result);
    const emails = new Set<string>();
    const inFile = new Set<string>();
    const welcome: string[] = [];
    let writes = 0;
    let reading = true;
    const opsOf = (rows: ParsedRow[]): LongOp[] => {
      const ops: LongOp[] = [];
      for (const row of rows) {
        const key = emailKey(row);
        if (key) {
          if (emails.has(key)) throw new RepeatedEmail();
          emails.add(key);
        }
        if (req.options.deactivate && row.value.email) inFile.add(row.value.email);
        const write = classify(row);
        if (write) ops.push(opOf(row, write, welcome));
      }
      result.rows += rows.length;
      writes += ops.length;
      return ops;
    };
    async function* batches(): AsyncGenerator<LongOp[]> {
      // Neither the rows nor their ops stay referenced here while the generator waits to be resumed.
      for await (const rows of validatedBatches(notices, unknownColumns)) yield opsOf(rows.splice(0));
      reading = false;
      emails.clear();
      const tail = req.options.deactivate ? deactivations(existing, inFile, result) : [];
      writes += tail.length;
      // Before the commit (the worker applies what it holds meanwhile): a cancel while the report is
      // written then leaves nothing applied, as the job says.
      await writeErrorReport(result);
      if ((req.options.allOrNothing && result.errors.length > 0) || writes === 0) throw new NothingToApply();
      yield [...tail, ...welcome.map((userId): LongOp => ({ op: 'welcome', userId }))];
    }
    try {
      const summary = await apply({ batches: batches() }, undefined, () => !reading);
      result.applied = true;
      deps.committed(summary);
      deps.mail.kick();
      return result;
    } catch (e) {
      if (e instanceof RepeatedEmail) return null;
      if (e instanceof NothingToApply) return result;
      throw e;
    }
  }

  /** A dry run, or a file that repeats an email: read it all, then classify and apply holding the writer. */
  async function inTwoPasses(): Promise<ImportResult> {
    const notices: string[] = [];
    const unknownColumns: string[] = [];
    const parsed: ParsedRow[] = [];
    // How many rows name each email (as findDuplicateEmails keys them): only rows sharing one are then
    // handed to findDuplicateEmails, instead of a list per row of the whole file.
    const emailCount = new Map<string, number>();
    for await (const rows of validatedBatches(notices, unknownColumns)) {
      for (const row of rows) {
        parsed.push(row);
        const key = emailKey(row);
        if (key) emailCount.set(key, (emailCount.get(key) ?? 0) + 1);
      }
    }
    await nextTurn();
    {
      const sharing = parsed.filter((p) => (emailCount.get(emailKey(p)) ?? 0) > 1);
      emailCount.clear();
      const byRowNumber = new Map(sharing.map((p) => [p.rowNumber, p]));
      for (const [rowNumber, others] of findDuplicateEmails(sharing.map((p) => ({ rowNumber: p.rowNumber, email: p.value.email })))) {
        const row = byRowNumber.get(rowNumber)!;
        addIssue(row, 'email', duplicateEmailIssue(row.value.email, others, column('email')));
      }
    }

    return deps.withWriter(async () => {
      const existing = existingUsers();
      const result = newResult(notices, unknownColumns);
      result.rows = parsed.length;
      const classify = createClassifier(existing, result);
      // What to write, per parsed row (by index): the ops themselves are made only when the apply
      // worker is handed them (opsInOrder below), so the rows never sit in memory twice, as rows and as ops.
      const writes: (Write | null)[] = new Array<Write | null>(parsed.length).fill(null);
      let welcomes = 0;
      let count = 0;
      for (let index = 0; index < parsed.length; index++) {
        if (index > 0 && index % CLASSIFY_SLICE === 0) await nextTurn();
        const row = parsed[index]!;
        const write = classify(row);
        if (!write) continue;
        writes[index] = write;
        count++;
        if (write === CREATE ? row.value.emailLoginEnabled === true : write.patch.emailLoginEnabled === true) welcomes++;
      }
      const tail = req.options.deactivate ? deactivations(existing, new Set(parsed.map((p) => p.value.email).filter(Boolean)), result) : [];
      await writeErrorReport(result);

      const total = count + tail.length + welcomes;
      const blocked = req.options.allOrNothing && result.errors.length > 0;
      if (req.options.dryRun || blocked || total === 0) return result;
      existing.clear();

      // --- apply: one transaction, by the apply worker ------------------------------------------
      // The ops in file order, each made as it is handed over; a row is let go once its op is made.
      // Users whose email login this import switches on get the welcome email, as the console's own
      // switch does: welcome ops after the user ops, in the same transaction.
      function* opsInOrder(): Generator<LongOp> {
        const welcome: string[] = [];
        const rows = parsed as (ParsedRow | undefined)[];
        for (let index = 0; index < rows.length; index++) {
          const row = rows[index];
          const write = writes[index];
          rows[index] = undefined;
          writes[index] = null;
          if (row && write) yield opOf(row, write, welcome);
        }
        yield* tail;
        for (const userId of welcome) yield { op: 'welcome', userId };
      }
      const summary = await apply(opsInOrder(), total, () => true);
      result.applied = true;
      deps.committed(summary);
      deps.mail.kick();
      return result;
    });
  }

  return { streaming, inTwoPasses };
}

/** What a row's classification writes: a new user, or a patch of an existing one. */
type Write = typeof CREATE | { id: string; patch: Row };

/** How findDuplicateEmails keys a row's email. */
const emailKey = (row: ParsedRow) => cleanCell(row.value.email).toLowerCase();

/** Users created without a role column get the least privilege. */
export const READ_ONLY_ROLE_ID = '00000000-0000-7000-8000-000000000003';
