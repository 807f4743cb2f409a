/** The console API of directory import from LDAP / Active Directory (issue #7); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';

void z; void mutation; void query;

export const directoryContract = {
} as const;
