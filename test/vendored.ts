// The one place that knows where the repository's vendored data lives (see vendor/README.md):
// the facts the generators read, LLaMA-Factory's example configs and dataset registry, and the
// published calibration rows. Tests, benchmarks and tools find their data through these paths only.
import * as path from 'node:path';

/** Repository root (this file runs from out/test/). */
export const repoRoot = path.resolve(__dirname, '..', '..');
export const vendorDir = path.join(repoRoot, 'vendor');
/** The facts the committed schema, lists, GPU and model tables are generated from. */
export const factsDir = path.join(vendorDir, 'facts');
/** LLaMA-Factory's `examples/` and `data/dataset_info.json`, unmodified. */
export const corpusDir = path.join(vendorDir, 'llamafactory');
/**
 * A LLaMA-Factory checkout as the release extractor reads it: every file it opens, whole, at the
 * commit of `corpusDir` (the rest of the tree is left out). Kept apart from `corpusDir` so that no
 * example config has a checkout above it.
 */
export const sourceCheckoutDir = path.join(vendorDir, 'llamafactory-source');
/** Published peak-memory measurements the estimator is checked against. */
export const calibrationCsv = path.join(vendorDir, 'calibration', 'measurements.csv');
