import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Entity ids: UUIDv7 (RFC 9562), made by the writer, time-ordered and monotonic within a
 * millisecond, like uuid's own v7(). The random bits come from a 4 KiB pool refilled at once:
 * uuid asks the OS for 16 bytes per id, which was a sixth of a 100,000-user import's time.
 */
const POOL = new Uint8Array(4096);
let offset = POOL.length;
const state = { msecs: -Infinity, seq: 0 };

export function newId(): string {
  if (offset + 16 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const random = POOL.subarray(offset, offset + 16);
  offset += 16;
  const now = Date.now();
  if (now > state.msecs) {
    state.msecs = now;
    state.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs++;
  }
  return v7({ random, msecs: state.msecs, seq: state.seq });
}
