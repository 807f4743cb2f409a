import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId } from '../../main/core/ids.ts';

describe('entity ids', () => {
  it('are RFC 9562 version 7 UUIDs, unique and in creation order', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 100)) expect(z.uuid({ version: 'v7' }).safeParse(id).success, id).toBe(true);
  });

  it('carry the time they were made', () => {
    const before = Date.now();
    const id = newId();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
  });
});
