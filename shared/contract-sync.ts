/** The console API of offline-first sync with a Portal server (issue #6); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';

void z; void mutation; void query;

export const syncContract = {
} as const;
