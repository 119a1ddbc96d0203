// Calibration report: runs the estimator on every measured row and scores it
// honestly: each measured run once, upper-bound rows apart, and a headline in
// which every fitted constant is re-fitted without the source being scored.
// Usage: node out/bench/memory-calibration.js [measurements.csv] [--write] [--verbose]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrationCsv, repoRoot } from '../test/vendored';
import { busiestGpu, h200Case, isScored, naiveRule, parseCsv, pick, publicCase, readmeRule, type CalibrationCase } from './calibration-rows';
import { BENCH_FITTED, stackEstimate, type BenchConstants } from './stacks';
import { planStep, setupClassOf } from '../server/src/service/memory/estimate';
import { FIGURES, SETUP_CLASSES, shownRange, type Figure, type RangeBands, type RangeBandsFile, type SetupClass } from '../server/src/service/memory/range';

export const H200_SOURCE = 'h200 (ours)';
/** Published rows collected after the calibration set, one CSV each (bench/calibration/README.md says where from). */
const ADDED_CSVS: Record<string, string> = {
  qwen: 'qwen-readme-measurements.csv',
  answerai: 'answerai-fsdp-qlora-measurements.csv',
  peftDocs: 'peft-docs-measurements.csv',
};

export function loadCases(publicCsv = calibrationCsv): CalibrationCase[] {
  const cases: CalibrationCase[] = [];
  cases.push(...parseCsv(readFileSync(publicCsv, 'utf8')).map(publicCase));
  for (const file of Object.values(ADDED_CSVS)) {
    cases.push(...parseCsv(readFileSync(join(repoRoot, 'bench', 'calibration', file), 'utf8')).map(publicCase));
  }
  const ours = join(repoRoot, 'bench', 'calibration', 'h200-measurements.csv');
  cases.push(...parseCsv(readFileSync(ours, 'utf8')).flatMap((r) => h200Case(r) ?? []));
  return cases;
}

export interface ErrorRow {
  id: string; source: string; method: string; setup: string; figure: Figure; upperBound: boolean;
  /** The least the row's stated settings need (stated-floor.ts). */
  floor: number;
  /** A measurement its own stated settings allow (isScored): counted in every table but the bounds'. */
  scored: boolean;
  measured: number; ours: number; low: number; high: number; readme: number; naive: number;
  /** The estimate's three figures for the busiest GPU, what the shown range is made from. */
  figures: Record<Figure, number>; setupClass: SetupClass; approximate: boolean;
}

/** The estimate of one row with the given constants: the busiest GPU's three figures and the one of the row's kind. */
function estimateFigures(k: CalibrationCase, constants: BenchConstants): { ours: number; figures: Record<Figure, number> } {
  const e = stackEstimate(k.input, k.traits, constants);
  const figure = pick(e, k.figure);
  const ours = busiestGpu(k, e);
  // device_map rows: the busiest GPU's share of every figure.
  const scale = figure > 0 ? ours / figure : 1;
  return { ours, figures: { allocated: e.allocatedGiB * scale, reserved: e.reservedGiB * scale, device: e.deviceGiB * scale } };
}

/** The estimate of one row's kind of figure with the given constants, and the shown range. */
export function estimateRow(k: CalibrationCase, constants: BenchConstants = BENCH_FITTED): { ours: number; low: number; high: number } {
  const { ours, figures } = estimateFigures(k, constants);
  return { ours, ...rangeOf(figures, setupClassOf(planStep(k.input)), k.input.model.approximate) };
}

function rangeOf(figures: Record<Figure, number>, setup: SetupClass, approximate: boolean, bands?: RangeBands): { low: number; high: number } {
  return shownRange(figures, setup, approximate, bands);
}

export function errorRows(cases: CalibrationCase[], constants: (k: CalibrationCase) => BenchConstants = () => BENCH_FITTED): ErrorRow[] {
  return cases.map((k) => {
    const { ours, figures } = estimateFigures(k, constants(k));
    const setupClass = setupClassOf(planStep(k.input));
    const approximate = k.input.model.approximate;
    return {
      id: k.id, source: k.source, method: k.method, setup: k.setup, figure: k.figure, upperBound: k.upperBound, floor: k.floorGiB, scored: isScored(k),
      measured: k.measuredGiB, ours, ...rangeOf(figures, setupClass, approximate), readme: readmeRule(k), naive: naiveRule(k),
      figures, setupClass, approximate,
    };
  });
}

export const pct = (est: number, measured: number): number => (Math.abs(est - measured) / measured) * 100;

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

export interface Summary {
  n: number; median: number; p90: number; signedMedian: number; inRange: number;
  readmeMedian: number; readmeP90: number; naiveMedian: number; naiveP90: number;
}

/** Error statistics over measured rows (upper bounds are never scored here). */
export function summarize(rows: ErrorRow[]): Summary {
  const scored = rows.filter((r) => r.scored);
  const errs = (f: (r: ErrorRow) => number): number[] => scored.map((r) => pct(f(r), r.measured));
  const ours = errs((r) => r.ours), readme = errs((r) => r.readme), naive = errs((r) => r.naive);
  const signed = scored.map((r) => ((r.ours - r.measured) / r.measured) * 100);
  const inRange = scored.filter((r) => r.low <= r.measured && r.measured <= r.high).length;
  return {
    n: scored.length, median: quantile(ours, 0.5), p90: quantile(ours, 0.9), signedMedian: quantile(signed, 0.5),
    inRange: scored.length ? (inRange / scored.length) * 100 : NaN,
    readmeMedian: quantile(readme, 0.5), readmeP90: quantile(readme, 0.9),
    naiveMedian: quantile(naive, 0.5), naiveP90: quantile(naive, 0.9),
  };
}

// --- Leave-one-source-out -------------------------------------------------

/** Relative steps tried for each constant, around its current value. */
const STEPS = [0.5, 0.7, 0.85, 0.95, 1.05, 1.2, 1.5, 2];
const FITTED_KEYS = Object.keys(BENCH_FITTED) as (keyof BenchConstants)[];

/** Mean absolute % error over measured rows: the objective every constant is fitted to. */
function meanError(cases: CalibrationCase[], constants: BenchConstants): number {
  let sum = 0;
  for (const k of cases) sum += pct(estimateRow(k, constants).ours, k.measuredGiB);
  return sum / Math.max(1, cases.length);
}

/**
 * The allocator constants describe reserved minus allocated memory: they are
 * fitted on reserved figures only, since an nvidia-smi reading adds overheads the
 * estimate does not model (driver and CUDA versions, NCCL, other processes) that
 * a fit on it would soak up.
 */
const RESERVED_ONLY: readonly (keyof BenchConstants)[] = ['reservedSlackShare', 'reservedSlackGiB'];

/** Rows whose estimate moves when `key` does: the only ones a fit of it needs to look at. */
function rowsMovedBy(cases: CalibrationCase[], key: keyof BenchConstants): CalibrationCase[] {
  const moved = { ...BENCH_FITTED, [key]: BENCH_FITTED[key] * 1.5 + 0.1 };
  const kinds = RESERVED_ONLY.includes(key) ? cases.filter((k) => k.figure === 'reserved') : cases;
  return kinds.filter((k) => estimateRow(k, moved).ours !== estimateRow(k).ours);
}

/** Sweeps of coordinate descent at most; the fit stops earlier once a sweep changes nothing. */
const MAX_SWEEPS = 8;

/**
 * Coordinate descent over the fitted constants on `cases` (measured rows only),
 * from the shipped values, until a sweep changes nothing. The shipped values are
 * this fit on every row (a unit test checks it), so each leave-one-source-out fit
 * starts where the full fit ended.
 */
export function fitConstants(cases: CalibrationCase[], start: BenchConstants = BENCH_FITTED): BenchConstants {
  const scored = cases.filter(isScored);
  const fitted: BenchConstants = { ...start };
  for (let sweep = 0, changed = true; changed && sweep < MAX_SWEEPS; sweep++) {
    changed = false;
    for (const key of FITTED_KEYS) {
      const rows = rowsMovedBy(scored, key);
      if (!rows.length) continue;
      let best = { value: fitted[key], error: meanError(rows, fitted) };
      for (const step of STEPS) {
        const value = fitted[key] * step;
        const error = meanError(rows, { ...fitted, [key]: value });
        if (error < best.error - 1e-9) best = { value, error };
      }
      changed ||= best.value !== fitted[key];
      fitted[key] = best.value;
    }
  }
  return fitted;
}

/** The percentiles of measured / estimated that bound the shown range (range.ts). */
const BAND_PERCENTILES: [number, number] = [0.1, 0.9];
/** A setup class with fewer held-out rows of a figure than this takes the figure's bands over all setups. */
const MIN_BAND_ROWS = 20;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * measured / estimated of each figure and setup class over measured rows (the
 * held-out rows of leave-one-source-out), at BAND_PERCENTILES.
 */
export function residualBands(rows: ErrorRow[]): RangeBands {
  const scored = rows.filter((r) => r.scored && r.ours > 0);
  const band = (of: ErrorRow[]): { low: number; high: number; rows: number } => {
    const ratios = of.map((r) => r.measured / r.ours);
    return { low: round3(quantile(ratios, BAND_PERCENTILES[0])), high: round3(quantile(ratios, BAND_PERCENTILES[1])), rows: ratios.length };
  };
  const bands = {} as RangeBands;
  for (const setup of SETUP_CLASSES) {
    bands[setup] = {} as RangeBands[SetupClass];
    for (const figure of FIGURES) {
      const own = scored.filter((r) => r.figure === figure && r.setupClass === setup);
      bands[setup][figure] = band(own.length >= MIN_BAND_ROWS ? own : scored.filter((r) => r.figure === figure));
    }
  }
  return bands;
}

/** What `--write` stores in server/src/service/memory/range-bands.json. */
export function bandsFile(heldOutRows: ErrorRow[]): RangeBandsFile {
  return {
    percentiles: BAND_PERCENTILES,
    source: 'npm run bench:memory -- --write: leave-one-source-out residuals (measured / estimated) of every measured calibration row',
    bands: residualBands(heldOutRows),
  };
}

/**
 * Each source's rows estimated with every fitted constant re-fitted on the other
 * sources, and their shown range made from the other sources' held-out
 * residuals only (whose constants were themselves fitted with this source in:
 * the one place where its rows still count).
 */
export function leaveOneSourceOut(cases: CalibrationCase[], start: BenchConstants = BENCH_FITTED): { rows: ErrorRow[]; fits: Map<string, BenchConstants>; bands: RangeBands } {
  const sources = [...new Set(cases.map((k) => k.source))];
  const fits = new Map(sources.map((s) => [s, fitConstants(cases.filter((k) => k.source !== s), start)]));
  const held = errorRows(cases, (k) => fits.get(k.source)!);
  const bandsWithout = new Map(sources.map((s) => [s, residualBands(held.filter((r) => r.source !== s))]));
  const rows = held.map((r) => ({ ...r, ...rangeOf(r.figures, r.setupClass, r.approximate, bandsWithout.get(r.source)) }));
  return { rows, fits, bands: residualBands(held) };
}

// --- Report ---------------------------------------------------------------

const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');

function groupBy(rows: ErrorRow[], by: (r: ErrorRow) => string | string[]): [string, ErrorRow[]][] {
  const groups = new Map<string, ErrorRow[]>();
  for (const r of rows) for (const key of [by(r)].flat()) groups.set(key, [...(groups.get(key) ?? []), r]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

function table(rows: ErrorRow[], by: (r: ErrorRow) => string | string[], title: string): string {
  const lines = [
    `| ${title} | rows | ours median | ours p90 | signed median | in shown range | README median | README p90 | naive median | naive p90 |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, g] of groupBy(rows.filter((r) => r.scored), by)) {
    const s = summarize(g);
    lines.push(`| ${key} | ${s.n} | ${f1(s.median)} | ${f1(s.p90)} | ${f1(s.signedMedian)} | ${f1(s.inRange)} % | ${f1(s.readmeMedian)} | ${f1(s.readmeP90)} | ${f1(s.naiveMedian)} | ${f1(s.naiveP90)} |`);
  }
  return lines.join('\n');
}

/** Upper-bound rows: the card a configuration was said to fit; the estimate should stay below it. */
function boundsTable(rows: ErrorRow[]): string {
  const lines = ['| row | source | card GiB | ours | within the card | README | naive |', '|---|---|---|---|---|---|---|'];
  for (const r of rows.filter((x) => x.upperBound)) {
    lines.push(`| ${r.id} | ${r.source} | ${f1(r.measured)} | ${f1(r.ours)} | ${r.ours <= r.measured ? 'yes' : `no (+${f1(pct(r.ours, r.measured))} %)`} | ${f1(r.readme)} | ${f1(r.naive)} |`);
  }
  return lines.join('\n');
}

/**
 * Measured rows whose own stated settings need more than the published figure:
 * the table's label cannot describe the run. Shown with both numbers, never scored.
 */
function ruledOutTable(rows: ErrorRow[]): string {
  const lines = ['| row | source | measured GiB | floor of the stated settings | ours |', '|---|---|---|---|---|'];
  for (const r of rows.filter((x) => !x.upperBound && !x.scored)) {
    lines.push(`| ${r.id} | ${r.source} | ${f1(r.measured)} | ${f1(r.floor)} | ${f1(r.ours)} |`);
  }
  return lines.join('\n');
}

const publicOnly = (rows: ErrorRow[]): ErrorRow[] => rows.filter((r) => r.source !== H200_SOURCE);

/** The sets a row counts in: all rows; public rows; the original calibration set (without rows added since). */
function setsOf(r: ErrorRow): string[] {
  if (r.source === H200_SOURCE) return ['all'];
  return r.source in ADDED_CSVS ? ['all', 'public only'] : ['all', 'public only', 'public, calibration set only'];
}

/** How much each fitted constant moves the public error, and how far leave-one-source-out fits move it. */
function sensitivityTable(cases: CalibrationCase[], fits: Map<string, BenchConstants>): string {
  const lines = ['| constant | fitted to | shipped | re-fitted without one source (min–max) | public median / p90 at ×0.75 | at ×1.25 |', '|---|---|---|---|---|---|'];
  const publicCases = cases.filter((k) => k.source !== H200_SOURCE);
  for (const key of FITTED_KEYS) {
    const values = [...fits.values()].map((c) => c[key]);
    const at = (m: number): string => {
      const s = summarize(errorRows(publicCases, () => ({ ...BENCH_FITTED, [key]: BENCH_FITTED[key] * m })));
      return `${f1(s.median)} / ${f1(s.p90)}`;
    };
    const moved = rowsMovedBy(cases.filter(isScored), key);
    const sources = [...new Set(moved.map((k) => k.source))].sort().join(', ');
    lines.push(`| ${key} | ${moved.length} measured rows it moves (${sources}) | ${BENCH_FITTED[key]} | ${+Math.min(...values).toFixed(3)}–${+Math.max(...values).toFixed(3)} | ${at(0.75)} | ${at(1.25)} |`);
  }
  return lines.join('\n');
}

/** The shipped bands: measured / estimated at the band percentiles, per setup class and figure. */
function bandsTable(bands: RangeBands): string {
  const [lo, hi] = BAND_PERCENTILES.map((q) => `p${Math.round(q * 100)}`);
  const lines = [`| setup | figure | held-out rows | low (${lo}) | high (${hi}) |`, '|---|---|---|---|---|'];
  for (const setup of SETUP_CLASSES) {
    for (const figure of FIGURES) {
      const b = bands[setup][figure];
      lines.push(`| ${setup} | ${figure} | ${b.rows} | ×${b.low} | ×${b.high} |`);
    }
  }
  return lines.join('\n');
}

/**
 * A start for the fit that owes nothing to the shipped values: no compile saving,
 * 10 % + 0.5 GiB slack, a recomputed layer held twice, and formulas.md §6.3's 24
 * bytes per logit. Coordinate descent can stop at more than one fixed point, so
 * the report re-runs the held-out scoring from here to show how much that moves it.
 */
const NEUTRAL_START: BenchConstants = {
  compiledActivationShare: 1, reservedSlackShare: 0.1, reservedSlackGiB: 0.5, recomputeShare: 2, legacyLossBytesPerLogit: 24,
};

function startSensitivityLine(cases: CalibrationCase[]): string {
  const s = summarize(publicOnly(leaveOneSourceOut(cases, NEUTRAL_START).rows));
  return `Fitted from a neutral start instead of the shipped values (${Object.values(NEUTRAL_START).join(', ')}), the same scoring gives median ${f1(s.median)} %, p90 ${f1(s.p90)} %.`;
}

/** Issue 14's targets on the public held-out rows, each said met or not. */
function targetsLine(rows: ErrorRow[]): string {
  const pub = publicOnly(rows);
  const s = summarize(pub);
  const setups = groupBy(pub.filter((r) => r.scored && r.setup !== 'single' && r.setup !== 'device_map'), (r) => r.setup)
    .map(([setup, g]) => ({ setup, median: summarize(g).median }));
  const worst = setups.reduce((a, b) => (b.median > a.median ? b : a), { setup: '-', median: -Infinity });
  const met = (ok: boolean): string => (ok ? 'met' : 'not met');
  return [
    `Issue 14 targets: median <= 10 %: ${met(s.median <= 10)} (${f1(s.median)} %); p90 <= 25 %: ${met(s.p90 <= 25)} (${f1(s.p90)} %);`,
    `no distributed setup with a median above 20 %: ${met(worst.median <= 20)} (highest: ${worst.setup}, ${f1(worst.median)} %);`,
    `shown range holds >= 80 % of rows: ${met(s.inRange >= 80)} (${f1(s.inRange)} %).`,
  ].join('\n');
}

export function report(cases: CalibrationCase[], loso = leaveOneSourceOut(cases)): string {
  const fitted = errorRows(cases);
  const headline = summarize(publicOnly(loso.rows));
  return [
    '# Memory estimator accuracy',
    '',
    'Generated by `npm run bench:memory -- --write` (bench/memory-calibration.ts). Absolute % error of the',
    'per-GPU peak against each row\'s own kind of figure (allocated / reserved / nvidia-smi), for the public rows of',
    'the calibration measurements and our H200 runs (`bench/calibration/`). Every measured run counts once (an H200',
    'run is scored on its reserved peak). Rows that only say a configuration fits a card are upper bounds: they are',
    'never scored as errors, and are listed in their own table. device_map (model-parallel) rows compare with the',
    'busiest GPU. README = LLaMA-Factory\'s rule of thumb (full 18x, pure_bf16 8x, LoRA 2x, QLoRA-8 1x, QLoRA-4',
    '0.5x GB per billion parameters); naive = 16 B per trainable parameter + frozen weights at storage size.',
    '"in shown range" = the measured value lies within the low–high range the editor shows.',
    '',
    'Before the mechanism changes of issue 14 (same scoring, the previous model, commit 95e884a), the calibration',
    'set scored median 10.4 %, p90 36.2 %, 77.4 % inside the shown range (164 measured rows, leave-one-source-out);',
    'the same model counted the old way (H200 runs twice, upper bounds as 0 %) had reported 6.3 % / 23.1 %.',
    'Rows of other stacks are run through bench/stacks.ts, which applies what those stacks do differently',
    '(older transformers\' fp32 logits, Qwen\'s bf16 loss and its fp32 form under autocast, torchtune\'s optimizer',
    'in backward, PEFT\'s fp32 upcast of a k-bit model at load, which axolotl undoes before training, torchao\'s',
    'unchunked NF4 load); the estimator users run models LLaMA-Factory only.',
    '',
    `**Headline (public rows, leave-one-source-out): median ${f1(headline.median)} %, p90 ${f1(headline.p90)} %,`,
    `${f1(headline.inRange)} % of rows inside the shown range (${headline.n} measured rows).** Leave-one-source-out:`,
    'each source\'s rows are estimated with every fitted constant (and every stack-adapter constant) re-fitted on the',
    'other sources\' rows only (coordinate descent on the mean absolute error, until a sweep changes nothing).',
    '',
    targetsLine(loso.rows),
    startSensitivityLine(cases),
    '',
    '## Leave-one-source-out',
    '',
    table(loso.rows, setsOf, 'set'),
    '',
    table(loso.rows, (r) => r.source, 'source'),
    '',
    table(publicOnly(loso.rows), (r) => r.method, 'method (public)'),
    '',
    table(publicOnly(loso.rows), (r) => r.setup, 'distributed setup (public)'),
    '',
    table(publicOnly(loso.rows), (r) => r.figure, 'measured kind (public)'),
    '',
    '## How the shown range is made',
    '',
    'The low–high range the editor shows is not a fixed ±%. For every measured row (public and H200), the bench takes',
    'measured / estimated of the row\'s own figure from the leave-one-source-out estimate above, pools these ratios by',
    `setup (one GPU without sharding, or sharded / several GPUs) and figure, and keeps their ${Math.round(BAND_PERCENTILES[0] * 100)}th and ${Math.round(BAND_PERCENTILES[1] * 100)}th`,
    `percentiles (a pool with fewer than ${MIN_BAND_ROWS} rows takes the figure's ratios over both setups).`,
    '`--write` stores them in `server/src/service/memory/range-bands.json`, which the estimator reads (range.ts): the range runs',
    'from the lowest of allocated, reserved and nvidia-smi times its low ratio to the highest times its high ratio, and is',
    'never narrower than allocated..nvidia-smi. A generic stand-in architecture widens it by 18 % each side (set by hand).',
    'The "in shown range" columns of the leave-one-source-out tables are held out too: a source\'s rows get a range made',
    'from the other sources\' ratios only (those ratios come from constants fitted with the scored source among their',
    'rows, the one place it still counts). The "shipped constants" table uses the shipped bands, i.e. in-sample.',
    '',
    bandsTable(loso.bands),
    '',
    '## With the shipped constants (fitted on all rows)',
    '',
    table(fitted, setsOf, 'set'),
    '',
    '## Upper bounds ("fits on" statements, largest context that fits)',
    '',
    boundsTable(fitted),
    '',
    '## Rows their own stated settings rule out',
    '',
    'bench/stated-floor.ts adds up what a row\'s stated settings cannot run without, using no fitted constant: the',
    'weights one GPU holds (half precision or the stated quantization, divided over the ranks that shard them), and,',
    'where every sample has the stated length, the layer inputs that checkpointing keeps (without checkpointing also the',
    'gated MLP\'s gate and up outputs). A measured figure below that floor cannot come from the stated run, so these',
    'rows are listed here and left out of every other table. torchtune\'s README table labels its runs "Batch Size = 4,',
    'Seq Length = 2048/4096", while the recipes of that commit train on alpaca with `max_seq_len: null` (and 7B_lora',
    'without activation checkpointing), so the real batches were shorter than the label says.',
    '',
    ruledOutTable(fitted),
    '',
    '## Fitted constants: sensitivity',
    '',
    sensitivityTable(cases, loso.fits),
    '',
  ].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const csv = args.find((a) => !a.startsWith('--'));
  const cases = loadCases(csv);
  const loso = leaveOneSourceOut(cases);
  const text = report(cases, loso);
  console.log(text);
  if (args.includes('--verbose')) {
    for (const r of errorRows(cases)) console.log(`${r.id}\t${r.source}\t${r.method}\t${r.measured}\t${r.ours.toFixed(2)}\t${pct(r.ours, r.measured).toFixed(0)}%`);
  }
  if (args.includes('--write')) {
    writeFileSync(join(repoRoot, 'docs', 'memory-accuracy.md'), text);
    writeFileSync(join(repoRoot, 'server', 'src', 'service', 'memory', 'range-bands.json'), JSON.stringify(bandsFile(loso.rows), null, 2) + '\n');
  }
}

if (require.main === module) main();
