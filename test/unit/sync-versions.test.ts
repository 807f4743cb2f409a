import { describe, expect, it } from 'vitest';
import { updateNeeded, updateNeededForPortal } from '../../shared/rules/sync-versions.ts';

const portal = { protocol: 2, minProtocol: 1, schema: 20, minSchema: 14 };

describe('the sync version window', () => {
  it('accepts a console with a protocol in [min, current] and a schema in [min, the Portal\'s]', () => {
    expect(updateNeeded({ protocol: 1, schema: 14 }, portal)).toBeNull();
    expect(updateNeeded({ protocol: 2, schema: 20 }, portal)).toBeNull();
    expect(updateNeeded({ protocol: 2, schema: 17 }, portal)).toBeNull();
  });

  it('names the console when it is older than the window, the Portal when the console is newer', () => {
    expect(updateNeeded({ protocol: 0, schema: 20 }, portal)).toBe('console');
    expect(updateNeeded({ protocol: 3, schema: 20 }, portal)).toBe('portal');
    expect(updateNeeded({ protocol: 2, schema: 13 }, portal)).toBe('console');
    expect(updateNeeded({ protocol: 2, schema: 21 }, portal)).toBe('portal');
  });

  it('lets a console that predates the window (states nothing) in, judged by what it did state', () => {
    expect(updateNeeded({ protocol: undefined, schema: undefined }, portal)).toBeNull();
    expect(updateNeeded({ protocol: 1, schema: undefined }, portal)).toBeNull();
    expect(updateNeeded({ protocol: 9, schema: undefined }, portal)).toBe('portal');
  });

  it('from the console: the same window over the Portal\'s hello; a Portal that states no schema must be updated', () => {
    const hello = { protocolVersion: 2, minProtocolVersion: 1, schemaVersion: 20, minSchemaVersion: 14 };
    expect(updateNeededForPortal({ protocol: 2, schema: 20 }, hello)).toBeNull();
    expect(updateNeededForPortal({ protocol: 2, schema: 21 }, hello)).toBe('portal');
    expect(updateNeededForPortal({ protocol: 2, schema: 13 }, hello)).toBe('console');
    expect(updateNeededForPortal({ protocol: 1, schema: 16 }, { protocolVersion: 1, minProtocolVersion: 1 })).toBe('portal');
    expect(updateNeededForPortal({ protocol: 1, schema: 16 }, { protocolVersion: 3, minProtocolVersion: 2 })).toBe('console');
  });
});
