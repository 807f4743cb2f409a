/**
 * mulberry32: a small seedable generator of numbers in [0, 1). The same seed gives the same
 * sequence on every machine: sample data that looks the same everywhere, and randomized tests
 * whose failing seed can be replayed. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
