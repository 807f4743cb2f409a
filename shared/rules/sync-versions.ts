/**
 * The version window of sync (issue #6): which consoles a Portal accepts. Both sides state their
 * sync protocol version and their data schema version (the highest migration). A console is inside
 * the window when
 *   - its protocol is in [the Portal's minimum protocol, the Portal's protocol], and
 *   - its schema is in [the Portal's minimum console schema, the Portal's own schema]:
 *     a newer console schema may carry fields and methods the Portal does not know, an older one
 *     than the stated minimum lacks what the Portal relies on.
 * Outside it, the answer says which side must be updated.
 */
export type UpdateSide = 'console' | 'portal';

export interface PortalVersions { protocol: number; minProtocol: number; schema: number; minSchema: number }
/** What a console states; `undefined` = a console older than the version window, which did not say. */
export interface ConsoleVersions { protocol: number | undefined; schema: number | undefined }

export function updateNeeded(client: ConsoleVersions, portal: PortalVersions): UpdateSide | null {
  if (client.protocol !== undefined) {
    if (client.protocol < portal.minProtocol) return 'console';
    if (client.protocol > portal.protocol) return 'portal';
  }
  if (client.schema !== undefined) {
    if (client.schema < portal.minSchema) return 'console';
    if (client.schema > portal.schema) return 'portal';
  }
  return null;
}

/**
 * The console's view of a Portal's hello: the same window, checked from this side. A Portal that
 * states no schema predates the window and cannot vouch for this console's data: it must be updated.
 */
export function updateNeededForPortal(
  client: { protocol: number; schema: number },
  hello: { protocolVersion: number; minProtocolVersion: number; schemaVersion?: number | undefined; minSchemaVersion?: number | undefined },
): UpdateSide | null {
  if (hello.schemaVersion === undefined || hello.minSchemaVersion === undefined) {
    return client.protocol < hello.minProtocolVersion ? 'console' : 'portal';
  }
  return updateNeeded(client, {
    protocol: hello.protocolVersion, minProtocol: hello.minProtocolVersion, schema: hello.schemaVersion, minSchema: hello.minSchemaVersion,
  });
}
