/** The console API of Products, agent settings and consumption (issue #5); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';

void z; void mutation; void query;

export const productsContract = {
} as const;
