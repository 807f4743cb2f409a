/** The console API of API keys and the Portal REST API (issue #5); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';

void z; void mutation; void query;

export const apiKeysContract = {
} as const;
