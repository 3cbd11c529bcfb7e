/**
 * A small benchmark harness: warm-up, several runs, the median, and the floor measured in the
 * same run, printed as a ratio so a figure always comes with what it is compared to.
 * Benchmarks print; they never pass or fail on time (tests assert behaviour only).
 */
export interface Sample {
  label: string;
  /** Median of the runs, in `unit`. */
  median: number;
  unit: string;
  runs: number;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export const measure = async (
  label: string,
  once: () => Promise<number> | number,
  { warmup = 2, runs = 9, unit = 'ms' }: { warmup?: number; runs?: number; unit?: string } = {},
): Promise<Sample> => {
  for (let i = 0; i < warmup; i += 1) await once();
  const values: number[] = [];
  for (let i = 0; i < runs; i += 1) values.push(await once());
  return { label, median: median(values), unit, runs };
};

const format = (value: number, unit: string) =>
  unit === 'bytes' ? `${(value / 1024).toFixed(1)} KB` : `${value.toFixed(value < 10 ? 3 : 1)} ${unit}`;

/** Prints a figure next to its floor: `label  value   floor  value   ratio  x`. */
export const printVersusFloor = (subject: Sample, floor: Sample, goal?: string): void => {
  const ratio = floor.median === 0 ? Number.NaN : subject.median / floor.median;
  console.log(
    [
      `  ${subject.label.padEnd(34)} ${format(subject.median, subject.unit).padStart(11)}`,
      `floor (${floor.label}) ${format(floor.median, floor.unit)}`,
      `ratio ${ratio.toFixed(2)}x`,
      goal ? `goal ${goal}` : '',
      `median of ${subject.runs}`,
    ]
      .filter(Boolean)
      .join('   '),
  );
};
