// The low–high range shown beside the estimate. It is not a hand-set ±%: it is
// the spread of the estimate's own held-out errors. `npm run bench:memory --
// --write` scores every measured calibration row with the constants re-fitted
// without that row's source (leave-one-source-out), takes measured / estimated
// for each row's kind of figure (allocated, reserved, nvidia-smi) and setup,
// and writes the 10th and 90th percentiles of those ratios to range-bands.json,
// the one home of these numbers. The shown range spans all three figures, so it
// holds a measurement of any kind more often than each band's nominal 80 %.
import bands from './range-bands.json';

export type Figure = 'allocated' | 'reserved' | 'device';
export const FIGURES: readonly Figure[] = ['allocated', 'reserved', 'device'];

/** Setups whose errors are pooled apart: one GPU holding everything, or states spread over GPUs. */
export type SetupClass = 'single' | 'distributed';
export const SETUP_CLASSES: readonly SetupClass[] = ['single', 'distributed'];

/** measured / estimated at the band's lower and upper percentile, over `rows` held-out rows. */
export interface RatioBand {
  low: number;
  high: number;
  rows: number;
}

export type RangeBands = Record<SetupClass, Record<Figure, RatioBand>>;

export interface RangeBandsFile {
  /** The percentiles the bands are and what they were computed from. */
  percentiles: [number, number];
  source: string;
  bands: RangeBands;
}

export const RANGE_BANDS: Readonly<RangeBandsFile> = bands as RangeBandsFile;

/**
 * An estimate whose model architecture is a generic stand-in (no config.json)
 * is widened by this share on each side, beyond the measured bands (set by hand,
 * not fitted: the calibration rows nearly all name their architecture).
 */
const APPROXIMATE_WIDENING = 0.18;

/**
 * The range the measured figure of any kind should fall in: from the lowest
 * band edge over the three figures to the highest, and never narrower than
 * allocated..nvidia-smi.
 */
export function shownRange(
  figures: Record<Figure, number>, setup: SetupClass, approximate: boolean, table: RangeBands = RANGE_BANDS.bands,
): { low: number; high: number } {
  const row = table[setup];
  let low = figures.allocated;
  let high = figures.device;
  for (const f of FIGURES) {
    low = Math.min(low, figures[f] * row[f].low);
    high = Math.max(high, figures[f] * row[f].high);
  }
  const widen = approximate ? APPROXIMATE_WIDENING : 0;
  return { low: low * (1 - widen), high: high * (1 + widen) };
}
