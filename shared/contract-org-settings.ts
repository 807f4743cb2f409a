/** The console API of Microservices, Reports and Modules settings (issue #5); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';

void z; void mutation; void query;

export const orgSettingsContract = {
} as const;
