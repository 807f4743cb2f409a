/** The console API of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';

void z; void mutation; void query;

export const scimContract = {
} as const;
