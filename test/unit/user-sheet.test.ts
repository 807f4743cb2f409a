import { describe, expect, it } from 'vitest';
import {
  cleanCell, columnLetter, escapeLeadingQuote, duplicateEmailIssue, findDuplicateEmails, formatStatus, formatYesNo, headerIssues, matchHeaders,
  normalizeHeader, parseStatus, parseYesNo, USER_SHEET_COLUMNS, USER_SHEET_LIMITS, userSheetMessages, userSheetText, validateUserRow,
} from '../../shared/rules/user-sheet.ts';
import { neutralizeFormula } from '../../shared/rules/csv.ts';
import type { RowIssue, UserRowContext } from '../../shared/rules/user-sheet.ts';

const text = (issue: RowIssue | undefined) => (issue ? userSheetText(issue.key, issue.params) : '');
const ctx: UserRowContext = {
  roles: ['Admin', 'Member', 'Read-only'],
  organizations: [
    { id: 'o1', name: 'Acme', path: 'Acme' },
    { id: 'o2', name: 'Sales', path: 'Acme / Sales' },
    { id: 'o3', name: 'Sales', path: 'Globex / Sales' },
  ],
};

describe('matchHeaders', () => {
  it('maps English, Spanish and Portuguese headers regardless of case, accents, spaces and punctuation', () => {
    const m = matchHeaders(['NOMBRE', 'Correo electrónico', 'Função', 'Organização', 'situacao', 'Login por e-mail habilitado']);
    expect(m.columnOf).toEqual(['name', 'email', 'role', 'organization', 'status', 'emailLoginEnabled']);
    expect(m.unknown).toEqual([]);
    expect(m.missingRequired).toEqual([]);
    expect(matchHeaders(['E-mail', 'Name']).columnOf).toEqual(['email', 'name']);
    expect(matchHeaders(['Email address', ' Nome ']).columnOf).toEqual(['email', 'name']);
    expect(matchHeaders(['Email Address [Required]', 'Full name']).columnOf).toEqual(['email', 'name']);
    expect(matchHeaders(['Inicio de sesión con correo habilitado', 'Papel', 'Rol', 'Estado']).columnOf)
      .toEqual(['emailLoginEnabled', 'role', null, 'status']);
    expect(matchHeaders(['email_login_enabled']).columnOf).toEqual(['emailLoginEnabled']);
  });

  it('accepts the export-only and error-report columns without reporting them as unknown', () => {
    const m = matchHeaders(['Name', 'Email', 'Source', 'Created', 'Last login', 'Último inicio de sesión', 'Errors', 'Original row']);
    expect(m.columnOf).toEqual(['name', 'email', 'source', 'createdAt', 'lastLogin', null, 'errors', 'sourceRow']);
    expect(m.unknown).toEqual([]);
    expect(m.duplicated).toEqual([{ key: 'lastLogin', indexes: [4, 5] }]);
  });

  it('reports unknown columns, missing required ones and duplicates', () => {
    const m = matchHeaders(['Email', 'Department', '', 'Correo', 'Phone']);
    expect(m.unknown).toEqual([{ index: 1, header: 'Department' }, { index: 4, header: 'Phone' }]);
    expect(m.missingRequired).toEqual(['name']);
    expect(m.duplicated).toEqual([{ key: 'email', indexes: [0, 3] }]);
    expect(m.columnOf).toEqual(['email', null, null, null, null]);

    const { errors, warnings } = headerIssues(['Email', 'Department', '', 'Correo', 'Phone'], m);
    expect(errors.map(text)).toEqual([
      'The file has no "Name" column. Add a column headed "Name" in the first row (an exported users file has one).',
      'Columns A, D are all "Email". Keep one of them and delete the others.',
    ]);
    expect(text(warnings[0])).toBe('Column B ("Department") is not a users column and will be ignored. Known columns: Name, Email, Role, Organization, Status, Email login enabled.');
  });

  it('normalizes headers and letters columns like Excel', () => {
    expect(normalizeHeader('  Correo  Electrónico (work) ')).toBe('correoelectronico');
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(25)).toBe('Z');
    expect(columnLetter(26)).toBe('AA');
    expect(columnLetter(100)).toBe('CW');
  });
});

describe('parseYesNo / parseStatus', () => {
  it.each([
    ['Y', true], ['yes', true], ['TRUE', true], ['1', true], ['Sí', true], ['si', true], ['S', true], ['Sim', true],
    ['N', false], ['no', false], ['false', false], ['0', false], ['Não', false], ['NAO', false], [' n ', false],
  ])('%j -> %j', (input, expected) => expect(parseYesNo(input)).toBe(expected));

  it('empty means leave as is; anything else is not understood', () => {
    expect(parseYesNo('')).toBeUndefined();
    expect(parseYesNo('\u00a0 ')).toBeUndefined();
    expect(parseYesNo(undefined)).toBeUndefined();
    expect(parseYesNo('Maybe')).toBeNull();
    expect(parseYesNo('2')).toBeNull();
  });

  it('reads statuses in three languages and writes them back', () => {
    expect(parseStatus('Active')).toBe('active');
    expect(parseStatus('desactivado')).toBe('deactivated');
    expect(parseStatus('Arquivado')).toBe('archived');
    expect(parseStatus('')).toBeUndefined();
    expect(parseStatus('gone')).toBeNull();
    for (const lang of ['en', 'es', 'pt'] as const) {
      for (const s of ['active', 'deactivated', 'archived'] as const) expect(parseStatus(formatStatus(s, lang))).toBe(s);
      expect(parseYesNo(formatYesNo(true, lang))).toBe(true);
      expect(parseYesNo(formatYesNo(false, lang))).toBe(false);
    }
  });
});

describe('cleanCell', () => {
  it('trims NBSP, other Unicode spaces and zero-width spaces', () => {
    expect(cleanCell('\u00a0 ana@example.com\u2003\u200b')).toBe('ana@example.com');
    expect(cleanCell('\tJosé\r\n')).toBe('José');
    expect(cleanCell(null)).toBe('');
  });

  it('removes one quote before a formula trigger, so neutralized exports read back as typed', () => {
    expect(cleanCell("'=1+2")).toBe('=1+2');
    expect(cleanCell("'+SUM(1,2)")).toBe('+SUM(1,2)');
    expect(cleanCell("'@x")).toBe('@x');
    expect(cleanCell("'-3")).toBe('-3');
    expect(cleanCell("''=x")).toBe("'=x");
    for (const v of ['=x', "'=x", "''+1", '-3', "'plain", 'plain']) expect(cleanCell(neutralizeFormula(escapeLeadingQuote(v)))).toBe(v);
    expect(cleanCell("'\t=1")).toBe('=1');
    expect(cleanCell("O'Brien")).toBe("O'Brien");
    expect(cleanCell("'hello")).toBe("'hello");
  });
});

describe('validateUserRow', () => {
  it('normalizes a good row', () => {
    const r = validateUserRow({
      name: ' Ana Pérez ', email: 'Ana@Example.COM', role: 'member', organization: 'acme / sales', status: 'Activo', emailLoginEnabled: 'Sí',
    }, ctx);
    expect(r.errors).toEqual({});
    expect(r.value).toEqual({ name: 'Ana Pérez', email: 'ana@example.com', role: 'Member', organizationId: 'o2', status: 'active', emailLoginEnabled: true });
  });

  it('leaves optional fields out when their cells are empty', () => {
    const r = validateUserRow({ name: 'Ana', email: 'ana@example.com', role: '', status: ' ', emailLoginEnabled: '' }, ctx);
    expect(r.errors).toEqual({});
    expect(r.value).toEqual({ name: 'Ana', email: 'ana@example.com' });
  });

  it('says what is wrong, with the column, the value, the expected format and a fix', () => {
    const r = validateUserRow({
      name: '', email: 'ana at example', role: 'Boss', organization: 'Initech', status: 'gone', emailLoginEnabled: 'Maybe',
    }, ctx);
    expect(text(r.errors.name?.[0])).toBe("Name is empty. Enter the person's full name.");
    expect(text(r.errors.email?.[0])).toBe('Email: "ana at example" is not a valid email address. Use the form name@example.com, without spaces.');
    expect(text(r.errors.role?.[0])).toBe('Role: "Boss" is not a role here. Use one of: Admin, Member, Read-only.');
    expect(text(r.errors.organization?.[0])).toBe('Organization: "Initech" is not an organization you can import into. Use a name or a path like "Client / Sub" from the organization tree.');
    expect(text(r.errors.status?.[0])).toBe('Status: "gone" is not a status. Use active, deactivated or archived.');
    expect(text(r.errors.emailLoginEnabled?.[0])).toBe('Email login enabled: "Maybe" is not Y or N. Use Y or N.');
  });

  it('names columns as the file does, and speaks Spanish and Portuguese', () => {
    const r = validateUserRow({ name: 'Ana', email: 'x', emailLoginEnabled: 'quizás' }, { ...ctx, headers: { email: 'Correo', emailLoginEnabled: 'Login' } });
    expect(text(r.errors.email?.[0])).toBe('Correo: "x" is not a valid email address. Use the form name@example.com, without spaces.');
    const issue = r.errors.emailLoginEnabled![0]!;
    expect(userSheetText(issue.key, issue.params, 'es')).toBe('Login: "quizás" no es S ni N. Use S o N.');
    expect(userSheetText(issue.key, issue.params, 'pt')).toBe('Login: "quizás" não é S nem N. Use S ou N.');
  });

  it('reports missing required columns, over-long values, ambiguous organizations and formulas', () => {
    const long = 'x'.repeat(101);
    expect(text(validateUserRow({}, ctx).errors.email?.[0])).toBe("Email is empty. Enter the person's email address, like name@example.com.");
    expect(text(validateUserRow({ name: long, email: 'a@b.co' }, ctx).errors.name?.[0]))
      .toBe('Name: the name is 101 characters long; the limit is 100. Shorten it.');
    expect(text(validateUserRow({ name: 'A', email: 'a@b.co', organization: 'Sales' }, ctx).errors.organization?.[0]))
      .toBe('Organization: "Sales" matches 2 organizations. Use the full path instead, like "Acme / Sales".');
    expect(validateUserRow({ name: 'A', email: 'a@b.co', organization: 'Globex/Sales' }, ctx).value.organizationId).toBe('o3');
    expect(text(validateUserRow({ name: 'A', email: 'a@b.co', organization: 'Acme' }, { roles: [] }).errors.organization?.[0]))
      .toBe('Organization: "Acme" names an organization, but this import goes into one organization only. Leave the cell empty or delete the column.');
    const f = validateUserRow({ name: 'A', email: { formula: true, text: 'a@b.co' } }, ctx);
    expect(text(f.errors.email?.[0])).toBe('Email: the cell contains a formula (a@b.co). Type the value itself instead (in Excel: Copy, then Paste Special > Values).');
    expect(f.errors.email).toHaveLength(1);
    const shown = validateUserRow({ name: 'A', email: `${'y'.repeat(80)} z` }, ctx).errors.email![0]!.params!.value as string;
    expect(shown.length).toBeLessThanOrEqual(60);
  });
});

describe('findDuplicateEmails', () => {
  it('pairs rows that share an email, case-insensitively, each naming the others', () => {
    const d = findDuplicateEmails([
      { rowNumber: 2, email: 'ana@example.com' },
      { rowNumber: 3, email: 'bob@example.com' },
      { rowNumber: 7, email: ' ANA@example.com ' },
      { rowNumber: 9, email: 'carl@example.com' },
      { rowNumber: 11, email: 'carl@example.com' },
      { rowNumber: 12, email: 'Carl@Example.com' },
      { rowNumber: 13, email: '' },
      { rowNumber: 14, email: '' },
    ]);
    expect([...d]).toEqual([[2, [7]], [7, [2]], [9, [11, 12]], [11, [9, 12]], [12, [9, 11]]]);
    expect(text(duplicateEmailIssue('ANA@example.com', d.get(2)!))).toBe(
      'Email: "ana@example.com" also appears in row 7. Each person can appear only once: delete or merge one of the two rows.',
    );
    expect(text(duplicateEmailIssue('carl@example.com', d.get(9)!))).toBe(
      'Email: "carl@example.com" also appears in rows 11, 12. Each person can appear only once: keep one row and delete the others.',
    );
  });
});

describe('messages and limits', () => {
  it('has every message in the three languages, with the same parameters', () => {
    const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const walk = (en: Record<string, unknown>, other: Record<string, unknown>, path: string) => {
      for (const [k, v] of Object.entries(en)) {
        const o = other[k];
        if (typeof v === 'string') {
          expect(typeof o, `${path}.${k}`).toBe('string');
          expect(params(o as string), `${path}.${k}`).toEqual(params(v));
          expect(o, `${path}.${k} is translated`).not.toBe(v === 'Errors' ? '' : v);
        } else walk(v as Record<string, unknown>, o as Record<string, unknown>, `${path}.${k}`);
      }
    };
    walk(userSheetMessages.en, userSheetMessages.es, 'es');
    walk(userSheetMessages.en, userSheetMessages.pt, 'pt');
    const all = JSON.stringify(userSheetMessages);
    expect(all).not.toMatch(/invalid row|Request was unsuccessful/i);
  });

  it('defines every column header in three languages and exposes the limits', () => {
    for (const c of USER_SHEET_COLUMNS) expect(matchHeaders([c.header.en, c.header.es, c.header.pt]).columnOf[0]).toBe(c.key);
    expect(USER_SHEET_LIMITS.maxRows).toBe(200_000);
    expect(USER_SHEET_LIMITS.zip.minInflateRatio).toBe(0.01);
  });
});
