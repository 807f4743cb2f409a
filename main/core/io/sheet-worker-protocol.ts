import type { UserSheetLimits } from '../../../shared/rules/user-sheet.ts';
import type { SheetErrorShape } from './sheet-error.ts';
import type { SheetEvent } from './sheet-types.ts';

export interface SheetWorkerData {
  path: string;
  limits: UserSheetLimits;
  batchSize: number;
  maxMemoryMb: number;
}

export type ToSheetWorker = { type: 'ack' };
export type FromSheetWorker =
  | { type: 'event'; event: SheetEvent }
  | { type: 'rows'; json: string; bytesRead: number; totalBytes: number }
  | { type: 'done' }
  | { type: 'error'; error: SheetErrorShape };
