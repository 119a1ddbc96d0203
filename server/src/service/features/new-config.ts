// "New LLaMA-Factory Config": a complete training config for a model, a
// method and a GPU, built from the presets, with the precision the GPU
// supports, and changed by the fit-to-GPU search until the estimate fits.
import { analyze } from '../analyze';
import { parseConfig } from '../document';
import { applyChanges, applyEdits } from '../edits';
import lists from '../facts/lists.json';
import { recommendedPrecisions, usableMemoryGiB } from '../hardware/catalog';
import { resolveGpu } from '../hardware/resolve';
import { exampleDeepSpeed } from '../memory/fit';
import type { FitCandidate } from '../memory/fit';
import { estimateReport, fitCandidates } from '../memory/report';
import { expandSnippet, presetByPrefix } from '../presets';
import { defaultSettings } from '../types';
import type { ServiceHost } from '../types';
import { SUGGESTED_MODELS } from './new-config-choices';
import type { NewConfigMethod } from './new-config-choices';

export interface NewConfigParams {
  /** A Hugging Face / ModelScope id or a local path. */
  model: string;
  method: NewConfigMethod;
  /** A GPU id or name from the catalog (`rtx-4090`, `A100 80GB`). */
  gpu: string;
  gpus: number;
}

export interface NewConfigResult {
  text: string;
  /** Whether the estimate fits the GPU; null when the model could not be sized. */
  fits: boolean | null;
  /** Estimated nvidia-smi memory per GPU, when the model could be sized. */
  deviceGiB: number | null;
  usableGiB: number;
  /** The fit-to-GPU change applied to the preset, if any. */
  applied: string | null;
  /** The catalog name of the GPU. */
  gpuName: string;
}

// For a model typed in: the template its family name suggests (most specific first).
const FAMILY_TEMPLATES: readonly [RegExp, string][] = [
  [/qwen-?3/i, 'qwen3'],
  [/qwen/i, 'qwen'],
  [/llama-?4/i, 'llama4'],
  [/llama-?3/i, 'llama3'],
  [/llama-?2/i, 'llama2'],
  [/gemma-?3/i, 'gemma3'],
  [/gemma-?2/i, 'gemma2'],
  [/gemma/i, 'gemma'],
  [/mi[sx]tral/i, 'mistral'],
  [/phi-?4/i, 'phi4'],
  [/phi/i, 'phi'],
  [/deepseek-?r1/i, 'deepseekr1'],
  [/glm-?4/i, 'glm4'],
];

/** The chat template for a model id: the suggested list, then the family in the name, else `default`. */
export function templateFor(model: string): string {
  const known = SUGGESTED_MODELS.find((m) => m.id.toLowerCase() === model.toLowerCase());
  if (known) return known.template;
  const family = FAMILY_TEMPLATES.find(([re]) => re.test(model))?.[1];
  return family && lists.templates.some((t) => t.name === family) ? family : 'default';
}

const PRESET_FOR: Record<NewConfigMethod, string> = { lora: 'lf-lora-sft', qlora: 'lf-qlora', full: 'lf-full-ds3', freeze: 'lf-full-ds3' };

type Changes = FitCandidate['changes'];

/** `saves/<model>/<method>/sft` with the model's last path part, lower-cased. */
function outputDir(model: string, method: NewConfigMethod): string {
  const name = model.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || 'model';
  return `saves/${name.toLowerCase()}/${method}/sft`;
}

/** The preset's keys changed for this model, method and GPU. */
function presetChanges(params: NewConfigParams, precision: string, gpus: number): Changes {
  const changes: Changes = {
    model_name_or_path: params.model,
    template: templateFor(params.model),
    output_dir: outputDir(params.model, params.method),
  };
  if (params.method === 'freeze') changes.finetuning_type = 'freeze';
  // ZeRO-3 only pays off across GPUs (fit-to-GPU adds it back when sharding helps).
  if (params.method === 'freeze' || (params.method === 'full' && gpus === 1)) changes.deepspeed = null;
  if (precision === 'fp16') Object.assign(changes, { bf16: null, fp16: true });
  if (precision === 'fp32') changes.bf16 = null;
  return changes;
}

const EXAMPLE_DEEPSPEED = /[\\/]examples[\\/]deepspeed[\\/]ds_z[23][\w]*_config\.json$/;

/**
 * `host` plus LLaMA-Factory's example DeepSpeed files where the host lacks
 * them: the ZeRO-3 preset and fit-to-GPU name them, and the estimate of a
 * multi-GPU config needs their ZeRO stage.
 */
function withExampleDeepSpeed(host: ServiceHost): ServiceHost {
  return { ...host, readFile: (p) => host.readFile(p) ?? (EXAMPLE_DEEPSPEED.test(p) ? JSON.stringify(exampleDeepSpeed(p)) : undefined) };
}

/**
 * Composes the config. Throws on an unknown GPU. File access (a local model
 * folder, a DeepSpeed file) goes through `host`; `configPath` is where the new
 * file would live, for the paths it references.
 */
export function newConfig(host: ServiceHost, params: NewConfigParams, configPath: string): NewConfigResult {
  const match = resolveGpu(params.gpu);
  if (!match) throw new Error(`unknown GPU: ${params.gpu}`);
  const gpu = match.gpu;
  const gpus = Number.isInteger(params.gpus) && params.gpus >= 1 ? params.gpus : 1;
  const preset = presetByPrefix(PRESET_FOR[params.method]);
  if (!preset) throw new Error(`missing preset for ${params.method}`);
  const directive = `# llamafactory-gpu: ${gpu.id}${gpus > 1 ? ` x${gpus}` : ''}\n`;
  const precision = recommendedPrecisions(gpu)[0] ?? 'fp32';
  const change = (text: string, changes: Changes): string => {
    const doc = parseConfig('untitled:new-config', text);
    return applyEdits(doc, applyChanges(doc, changes, 'gradient_accumulation_steps'));
  };
  // The snippet's final tab stop leaves an empty last line; a file ends with one newline.
  let text = change(directive + expandSnippet(preset.body).replace(/\n+$/, '\n'), presetChanges(params, precision, gpus));
  const ctx = analyze(withExampleDeepSpeed(host), { doc: parseConfig('untitled:new-config', text), configPath, settings: defaultSettings }).context;
  const report = estimateReport(ctx);
  const usableGiB = usableMemoryGiB(gpu);
  const result = { usableGiB, gpuName: gpu.name, applied: null };
  if (!report) return { ...result, text, fits: null, deviceGiB: null };
  if (report.fits) return { ...result, text, fits: true, deviceGiB: report.deviceGiB };
  const [best] = fitCandidates(ctx, 1);
  if (!best) return { ...result, text, fits: false, deviceGiB: report.deviceGiB };
  text = change(text, best.changes);
  // The candidate's estimate counts the DeepSpeed stage it names, even where its file is not readable from here.
  return { ...result, text, fits: best.estimate.reservedGiB <= usableGiB, deviceGiB: best.estimate.deviceGiB, applied: best.label };
}
