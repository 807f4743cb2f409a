/** The console API of Domains, SSO connections (SAML) and SCIM tokens (issue #4); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';

void z; void mutation; void query;

export const identityContract = {
} as const;
