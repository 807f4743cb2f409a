import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { counts, fails, ok, orgInput, testCore } from './helpers.ts';
import { pngImage } from '../fixtures/images.ts';

let core: ReturnType<typeof testCore>;
afterEach(() => core?.dispose());

describe('the mutation pipeline', () => {
  it('writes the entity, a changes row and an audit row in one go', async () => {
    core = testCore();
    const before = counts(core);
    const { id } = await ok(core, 'org.create', orgInput());
    expect(counts(core)).toMatchObject({ organizations: before.organizations + 1, changes: before.changes + 1, audit: before.audit + 1 });

    const change = core.db.prepare('SELECT * FROM changes WHERE entity_id = ?').get(id) as Record<string, unknown>;
    expect(change).toMatchObject({ mutation: 'org.create', entity: 'organization', op: 'create', base_version: 0, version: 1, org_id: id });
    expect(JSON.parse(change.fields as string).email).toEqual({ old: null, new: 'ops@acme.example' });
    const audit = core.db.prepare('SELECT * FROM audit WHERE target_id = ?').get(id) as Record<string, unknown>;
    expect(audit).toMatchObject({ action: 'org.create', target_type: 'organization', target_label: 'Acme MSP', mutation_id: change.mutation_id });
    expect(audit.before).toBeNull();
  });

  it('records before -> after of exactly the fields that changed, and bumps versions per field', async () => {
    core = testCore();
    const { id } = await ok(core, 'org.create', orgInput());
    const updated = await ok(core, 'org.updateGeneral', { id, baseVersion: 1, changes: { email: 'NEW@acme.example', name: 'Acme MSP' } });
    expect(updated.version).toBe(2);
    const { items } = await ok(core, 'audit.list', { orgId: id });
    expect(items[0]).toMatchObject({ action: 'org.updateGeneral', before: { email: 'ops@acme.example' }, after: { email: 'new@acme.example' } });
    const row = core.db.prepare('SELECT version, field_versions FROM organizations WHERE id = ?').get(id) as { version: number; field_versions: string };
    expect(JSON.parse(row.field_versions)).toMatchObject({ email: 2, name: 1 });

    // Saving the same values again is not a change: no version, no log.
    const again = await ok(core, 'org.updateGeneral', { id, baseVersion: 2, changes: { email: 'new@acme.example' } });
    expect(again.version).toBe(2);
    expect((await ok(core, 'audit.list', { orgId: id })).items).toHaveLength(2);
  });

  it('a failing mutation leaves no trace', async () => {
    core = testCore();
    const { id: partner } = await ok(core, 'org.create', orgInput());
    await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Client A' }));
    const before = counts(core);
    // Deleting a partner that still has clients fails inside the transaction.
    const error = await fails(core, 'org.delete', { id: partner });
    expect(error).toMatchObject({ code: 'BAD_INPUT', message: 'Move or delete its 1 client organizations first.' });
    expect(counts(core)).toEqual(before);

    // A failure after writes have happened inside the transaction rolls them all back.
    expect(() => core.deps.mutations.run('test.partial', core.profile(), (w) => {
      w.update('organization', partner, { description: 'half-done' });
      throw new Error('boom after the first write');
    })).toThrow('boom');
    expect(counts(core)).toEqual(before);
    expect((await ok(core, 'org.get', { id: partner })).description).toBe('');
  });

  it('bad input changes nothing and says what is wrong per field', async () => {
    core = testCore();
    const { id } = await ok(core, 'org.create', orgInput());
    const before = counts(core);
    const error = await fails(core, 'org.updateGeneral', { id, baseVersion: 1, changes: { email: 'not-an-email', country: 'ZZ' } });
    expect(error.code).toBe('BAD_INPUT');
    expect(error.fields).toEqual({ 'changes.email': [{ key: 'org.email_invalid' }], 'changes.country': [{ key: 'org.country_invalid' }] });
    expect(counts(core)).toEqual(before);
  });

  it('detects a conflicting edit of the same field, and merges edits of different fields', async () => {
    core = testCore();
    const { id } = await ok(core, 'org.create', orgInput());
    // Two people opened version 1.
    await ok(core, 'org.updateGeneral', { id, baseVersion: 1, changes: { email: 'first@acme.example' } });
    const conflict = await fails(core, 'org.updateGeneral', { id, baseVersion: 1, changes: { email: 'second@acme.example' } });
    expect(conflict).toMatchObject({ code: 'CONFLICT' });
    expect(conflict.message).toContain('email');
    const merged = await ok(core, 'org.updateGeneral', { id, baseVersion: 1, changes: { description: 'Managed since 2020' } });
    expect(merged).toMatchObject({ email: 'first@acme.example', description: 'Managed since 2020', version: 3 });
  });

  it('keeps image bytes out of changes and audit, recording a digest instead', async () => {
    core = testCore();
    const { id } = await ok(core, 'org.create', orgInput());
    const png = pngImage(8, 8);
    const view = await ok(core, 'branding.update', { orgId: id, baseVersion: 0, logo: { base64: png.toString('base64') } });
    expect(view.logo).toMatchObject({ mime: 'image/png', width: 8, height: 8, bytes: png.length });
    const b64 = png.toString('base64');
    const logged = core.db.prepare("SELECT group_concat(fields) AS f FROM changes WHERE entity = 'branding'").get() as { f: string };
    const audited = core.db.prepare("SELECT group_concat(after) AS a FROM audit WHERE target_type = 'branding'").get() as { a: string };
    expect(logged.f).not.toContain(b64.slice(0, 40));
    expect(audited.a).not.toContain(b64.slice(0, 40));
    expect(audited.a).toContain(view.logo!.sha256);
  });

  it('is the only code that writes entity tables (nothing writes around it)', () => {
    const entityTables = ['organizations', 'branding', 'users', 'products', 'changes', 'audit', 'actors'];
    const write = new RegExp(`\\b(INSERT\\s+(OR\\s+\\w+\\s+)?INTO|UPDATE|DELETE\\s+FROM)\\s+(${entityTables.join('|')})\\b`, 'i');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.includes('/mutations/') && !path.includes('/db/migrations')) {
          if (write.test(readFileSync(path, 'utf8'))) offenders.push(path);
        }
      }
    };
    walk(join(import.meta.dirname, '../../main'));
    expect(offenders).toEqual([]);
  });
});
