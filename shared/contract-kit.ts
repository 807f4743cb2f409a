/**
 * The building blocks of the contract, for shared/contract.ts and the per-feature contract files it
 * merges (shared/contract-<feature>.ts).
 */
import { z } from 'zod';

export const Ok = z.object({ ok: z.literal(true) });

/**
 * `kind` says whether a method writes: mutations are serialized behind long write jobs (an import
 * holds the writer until it commits or rolls back); queries always answer at once.
 */
export type Kind = 'query' | 'mutation';
export const query = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ kind: 'query' as Kind, input, output });
export const mutation = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ kind: 'mutation' as Kind, input, output });
