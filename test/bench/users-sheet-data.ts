/**
 * A users sheet for benchmarks: 12 columns, valid for the importer (3 of them unknown to it).
 * "Email login enabled" is N: switching it on sends a welcome email per user in the same
 * transaction, measured on its own by users-sheets-bench.ts.
 */
export const benchHeader = ['Name', 'Email', 'Role', 'Organization', 'Status', 'Email login enabled', 'Source', 'Created', 'Last login', 'Employee ID', 'Department', 'Phone'];
const ROLES = ['Operator', 'Read-only', 'Organization Administrator'];

export function* benchRows(n: number): Generator<string[]> {
  for (let i = 0; i < n; i++) {
    yield [`User ${i} Núñez`, `user${i}@bench.example`, ROLES[i % 3]!, i % 4 ? '' : 'Labs', i % 11 ? 'active' : 'deactivated',
      'N', 'import', '2026-01-31 10:20:00', '', `00${i}`, `Dept ${i % 40}`, `+34 600 ${String(i).padStart(6, '0')}`];
  }
}
