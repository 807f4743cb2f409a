/**
 * A long mutation writes the changes and audit rows of a run of creates with one INSERT .. SELECT
 * each (Writer.deferCreateLog); a short one writes them row by row from JS. Both must leave exactly
 * the same log: same rows, same JSON text, same order, whatever the values hold.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/db/open-database.ts';
import { beginLongMutation, type Writer } from '../../main/core/mutations/pipeline.ts';
import { newId } from '../../main/core/ids.ts';
import { READ_ONLY_ROLE_ID } from '../../main/core/user-sheets/import-users.ts';
import { ok, orgInput, testCore } from './helpers.ts';

const cores: ReturnType<typeof testCore>[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.dispose();
});

const TRICKY_NAMES = [
  `O'Brien "the quote" \\ back\\slash`, 'tab\there\nnew line\r\ncarriage', 'control \u0001\u001f and \u007f \b \f \u2028 \u2029 nul \u0000 after', 'Núñez 😀 日本語 /slash/',
  '', '  spaced  ', '</script><b>', 'x'.repeat(300),
];

/** The same writes, with this run's own ids: creates of two shapes, an update, a delete, more creates. */
function writes(orgId: string) {
  const ids = Array.from({ length: 12 }, () => newId());
  const user = (i: number, extra: Record<string, unknown> = {}) => ({
    orgId, name: TRICKY_NAMES[i % TRICKY_NAMES.length]!, email: `User${i}+tag@Example.COM`, roleId: READ_ONLY_ROLE_ID,
    status: i % 3 ? 'active' : 'deactivated', source: 'import', emailLoginEnabled: i % 2 === 0, ...extra,
  });
  const apply = (w: Writer) => {
    for (let i = 0; i < 5; i++) w.create('user', ids[i]!, user(i));
    w.update('user', ids[1]!, { name: 'Renamed', emailLoginEnabled: true });
    for (let i = 5; i < 8; i++) w.create('user', ids[i]!, user(i, { lastLoginAt: i === 6 ? null : '2026-11-01T10:00:00.000Z', emailCodeEnabled: i === 7 }));
    w.delete('user', ids[6]!);
    for (let i = 8; i < 12; i++) w.create('user', ids[i]!, user(i));
  };
  return { ids, apply };
}

/** The log of one mutation, with this run's ids replaced by their position, so two runs compare. */
function logOf(db: ReturnType<typeof openDatabase>, mutation: string, names: Map<string, string>) {
  const rename = (text: unknown) => {
    let out = String(text);
    for (const [id, label] of names) out = out.replaceAll(id, label);
    return out;
  };
  const changes = db.prepare(`SELECT mutation, org_id, entity, entity_id, op, base_version, version, fields, actor_id FROM changes
    WHERE mutation = ? ORDER BY seq`).all(mutation) as Record<string, unknown>[];
  const audit = db.prepare(`SELECT action, org_id, actor_id, actor_name, actor_email, target_type, target_id, target_label, before, after FROM audit
    WHERE action = ? ORDER BY id`).all(mutation) as Record<string, unknown>[];
  const users = db.prepare(`SELECT * FROM users WHERE org_id = ? ORDER BY rowid`).all([...names.keys()][0]) as Record<string, unknown>[];
  return JSON.parse(rename(JSON.stringify({ changes, audit, users: users.map(({ created_at: _c, updated_at: _u, ...rest }) => rest) })));
}

async function seeded() {
  const core = testCore();
  cores.push(core);
  const { id } = await ok(core, 'org.create', orgInput());
  return { core, orgId: id };
}

describe('the log of a long mutation’s creates', () => {
  it('is exactly the log the row-by-row path writes', async () => {
    const short = await seeded();
    const shortRun = writes(short.orgId);
    short.core.deps.mutations.run('test.bulk', short.core.profile(), shortRun.apply);

    const long = await seeded();
    const longRun = writes(long.orgId);
    const db = openDatabase(long.core.dir);
    try {
      const run = beginLongMutation(db, 'test.bulk', long.core.profile(), () => new Date());
      longRun.apply(run.writer);
      const summary = run.commit();
      expect([...summary.orgIds]).toEqual([long.orgId]);
      expect([...summary.entities]).toEqual(['user']);
    } finally {
      db.close();
    }

    const label = (core: typeof short.core, orgId: string, ids: string[]) =>
      new Map([[orgId, 'ORG'], [core.profile().id, 'ACTOR'], ...ids.map((id, i): [string, string] => [id, `USER${i}`])]);
    const expected = logOf(short.core.db, 'test.bulk', label(short.core, short.orgId, shortRun.ids));
    const actual = logOf(long.core.db, 'test.bulk', label(long.core, long.orgId, longRun.ids));
    expect(expected.changes).toHaveLength(14);
    expect(expected.audit).toHaveLength(14);
    expect(actual).toEqual(expected);
    // The tricky text came through the JSON untouched.
    const fields = JSON.parse(actual.changes[1].fields as string) as Record<string, { new: unknown }>;
    expect(fields.name!.new).toBe(TRICKY_NAMES[1]);
    expect(fields.emailLoginEnabled!.new).toBe(false);
  });

  it('keeps the order of thousands of creates across runs, and a rollback leaves no log', async () => {
    const { core, orgId } = await seeded();
    const db = openDatabase(core.dir);
    const ids = Array.from({ length: 2500 }, () => newId());
    try {
      const values = (i: number) => ({ orgId, name: `User ${i}`, email: `u${i}@example.com`, roleId: READ_ONLY_ROLE_ID, status: 'active', source: 'import', emailLoginEnabled: false });
      const before = (core.db.prepare('SELECT count(*) FROM changes').pluck().get() as number);
      const cancelled = beginLongMutation(db, 'test.many', core.profile(), () => new Date());
      for (let i = 0; i < 1500; i++) cancelled.writer.create('user', ids[i]!, values(i));
      cancelled.rollback();
      expect(core.db.prepare('SELECT count(*) FROM changes').pluck().get()).toBe(before);

      const run = beginLongMutation(db, 'test.many', core.profile(), () => new Date());
      ids.forEach((id, i) => run.writer.create('user', id, values(i)));
      run.commit();
    } finally {
      db.close();
    }
    expect(core.db.prepare("SELECT entity_id FROM changes WHERE mutation = 'test.many' ORDER BY seq").pluck().all()).toEqual(ids);
    expect(core.db.prepare("SELECT target_id FROM audit WHERE action = 'test.many' ORDER BY id").pluck().all()).toEqual(ids);
    expect(core.db.prepare("SELECT target_label FROM audit WHERE target_id = ?").pluck().get(ids[2499])).toBe('User 2499 <u2499@example.com>');
  });
});
