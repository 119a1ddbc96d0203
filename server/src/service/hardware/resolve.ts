// Turns what people write for a GPU into a catalog entry: catalog ids
// (`a100-80gb-sxm`), loose forms (`a100`, `4090`, `RTX 4090`, `h100-80gb`),
// nvidia-smi names (`NVIDIA A100-SXM4-80GB`, `Tesla T4`), rocm-smi names
// (`AMD Instinct MI300X`) and AMD gfx targets (`gfx942`).
//
// A name is reduced to a model key (`a100`, `rtx4090`, `m2pro`) plus optional
// memory and form factor; catalog ids are reduced the same way. When several
// entries share the model and the name does not say which, the one with the
// most memory wins, then SXM over NVL over PCIe, then catalog order; `note`
// says which was picked.
import { gpuCatalog } from './catalog';
import type { GpuFacts } from './types';
import { t } from '../l10n';

export interface GpuMatch {
  gpu: GpuFacts;
  /** True when the name identifies exactly one catalog entry. */
  exact: boolean;
  /** Says which entry was picked for an ambiguous name. */
  note?: string;
}

export interface ResolveHints {
  /** Memory reported by nvidia-smi, to tell memory variants apart. */
  memoryMiB?: number;
}

type Form = 'sxm' | 'nvl' | 'pcie';

interface Parsed {
  model: string;
  /** The remaining words, for names that list two models ("MI250X/MI250"). */
  words: string[];
  memoryGiB?: number;
  form?: Form;
}

// Vendor and marketing words that never tell two catalog GPUs apart.
const NOISE = new Set([
  'nvidia', 'geforce', 'tesla', 'amd', 'instinct', 'radeon', 'intel', 'r', 'tm', 'apple', 'huawei', 'habana',
  'data', 'center', 'gpu', 'graphics', 'generation', 'edition', 'workstation', 'superchip', 'grace', 'oam', 'vf', 'mcm',
]);

function parse(text: string): Parsed {
  const words: string[] = [];
  let memoryGiB: number | undefined;
  let form: Form | undefined;
  for (const token of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!token || NOISE.has(token)) continue;
    const mem = /^(\d+)gi?b$/.exec(token);
    if (mem) memoryGiB = Number(mem[1]);
    else if (/^sxm\d?$/.test(token)) form = 'sxm';
    else if (token === 'pcie') form = 'pcie';
    else if (token === 'nvl') form = 'nvl';
    else if (!/^hbm\d?e?$/.test(token)) words.push(token);
  }
  return { model: words.join(''), words, memoryGiB, form };
}

interface Entry {
  gpu: GpuFacts;
  key: Parsed;
}

const entries: Entry[] = gpuCatalog.map((gpu) => ({ gpu, key: parse(gpu.id) }));
const FORM_RANK: Record<Form, number> = { sxm: 0, nvl: 1, pcie: 2 };

/** Catalog entries whose model key fits `model`, from the strictest test to the loosest. */
function candidates(model: string): Entry[] {
  if (!model) return [];
  const tests: ((m: string) => boolean)[] = [
    (m) => m === model,
    // "4090" → rtx4090, "w7900" → prow7900: a shorter name that drops a series prefix
    (m) => model.length >= 3 && m.length > model.length && m.endsWith(model) && /[a-z]$/.test(m.slice(0, m.length - model.length)),
    // "mi300" → mi300x
    (m) => m.startsWith(model) && /^[a-z]+$/.test(m.slice(model.length)),
    // "ascend910b3" → ascend910b, "rtx4090d" → rtx4090 (never "a1000" → a100)
    (m) => model.startsWith(m) && (/[a-z]$/.test(m) || /^[a-z]/.test(model.slice(m.length))),
  ];
  for (const test of tests) {
    const found = entries.filter((e) => test(e.key.model));
    if (!found.length) continue;
    // Of several prefixes of the name, the longest says the most.
    const longest = Math.max(...found.map((e) => e.key.model.length));
    return test === tests[3] ? found.filter((e) => e.key.model.length === longest) : found;
  }
  return [];
}

function describe(list: Entry[]): string {
  return list.map((e) => e.gpu.id).join(', ');
}

/** Resolves a GPU name; undefined when nothing in the catalog fits. */
export function resolveGpu(name: string, hints: ResolveHints = {}): GpuMatch | undefined {
  const text = name.trim();
  if (!text) return undefined;
  const lower = text.toLowerCase();
  const direct = gpuCatalog.find((g) => g.id === lower || g.name.toLowerCase() === lower);
  if (direct) return { gpu: direct, exact: true };

  const gfx = gpuCatalog.filter((g) => g.gfxTarget === lower);
  const query = parse(text);
  let found = gfx.length ? gfx.map((gpu) => ({ gpu, key: parse(gpu.id) })) : candidates(query.model);
  // Names that list several models ("AMD Instinct MI250X/MI250"): the first word that fits.
  for (const word of query.words) {
    if (found.length) break;
    found = candidates(word);
  }
  if (!found.length) return undefined;

  const memory = query.memoryGiB ?? (hints.memoryMiB ? hints.memoryMiB / 1024 : undefined);
  let narrowed = found;
  if (memory !== undefined) {
    const closest = Math.min(...found.map((e) => Math.abs(e.gpu.memoryGiB - memory)));
    // nvidia-smi totals sit a little under the marketed size; a far-off figure says nothing.
    if (closest <= Math.max(2, memory * 0.1)) narrowed = found.filter((e) => Math.abs(e.gpu.memoryGiB - memory) === closest);
  }
  if (query.form && narrowed.some((e) => e.key.form === query.form)) narrowed = narrowed.filter((e) => e.key.form === query.form);
  if (narrowed.length === 1) return { gpu: narrowed[0].gpu, exact: true };

  const ranked = [...narrowed].sort(
    (a, b) => b.gpu.memoryGiB - a.gpu.memoryGiB || FORM_RANK[a.key.form ?? 'pcie'] - FORM_RANK[b.key.form ?? 'pcie'],
  );
  const picked = ranked[0].gpu;
  return {
    gpu: picked,
    exact: false,
    note: t('"{0}" fits several GPUs ({1}); checking against {2} ({3}), the one with the most memory. Write the id to pick another.', text, describe(narrowed), picked.name, picked.id),
  };
}

/** Catalog ids closest in spelling to `name`, one per GPU model, for "did you mean". */
export function suggestGpuIds(name: string, limit = 3): string[] {
  const model = parse(name).model || name.toLowerCase();
  const models = [...new Set(entries.map((e) => e.key.model))];
  return models
    .map((m) => ({ m, d: editDistance(model, m) }))
    .filter((s) => s.d <= Math.max(2, Math.ceil(model.length / 2)))
    .sort((a, b) => a.d - b.d || a.m.localeCompare(b.m))
    .slice(0, limit)
    .map((s) => resolveGpu(s.m)?.gpu.id)
    .filter((id): id is string => id !== undefined);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
