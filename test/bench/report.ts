/** How every benchmark prints a figure: beside its reference from the same run, with the ratio. */
export const line = (label: string, value: string, ref: string, ratio: string) =>
  process.stdout.write(`${label.padEnd(44)} ${value.padStart(14)}   reference ${ref.padStart(14)}   ratio ${ratio}\n`);

/** The p-th percentile of ascending latencies. */
export const pct = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
