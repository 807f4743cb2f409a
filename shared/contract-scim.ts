/** The console API of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';
import { Id } from './model/organization.ts';
import {
  MapGroupInput, RetentionInput, ScimGroupRow, ScimHttpRequest, ScimHttpResponse, ScimOverview, ScimSyncResult,
} from './model/scim.ts';

export const scimContract = {
  /**
   * One SCIM 2.0 HTTP request (the Portal's /scim/v2 adapter hands it over): the bearer token is
   * checked here, writes take the writer inside. A query: reads must not wait behind writes.
   */
  'scim.handle': query(ScimHttpRequest, ScimHttpResponse),
  /** The SCIM Provisioning tab of any organization of a main organization's tree. */
  'scim.overview': query(z.object({ orgId: Id }), ScimOverview),
  /** Map a pushed group to a role (and the sub-organization its users belong to). */
  'scim.mapGroup': mutation(MapGroupInput, ScimGroupRow),
  /** "Sync assigned roles": every SCIM user gets its group's role and organization; says what changed. */
  'scim.syncRoles': mutation(z.object({ orgId: Id }), ScimSyncResult),
  /** Data protection: delete archived SCIM users after N days (null = never). */
  'scim.setRetention': mutation(RetentionInput, z.object({ archivedRetentionDays: z.number().int().nullable() })),
  /** Delete the archived SCIM users past the retention period now (also done hourly). */
  'scim.purgeArchived': mutation(z.object({ orgId: Id }), z.object({ deleted: z.number().int() })),
} as const;
