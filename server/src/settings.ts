// Turns whatever the client sends for the `llamafactory` settings section into
// complete ServiceSettings; a wrong type falls back to the default.
import { DEFAULT_SCAN_MB, DEFAULT_TRUNCATION_WARN_PERCENT, defaultParseLimits, defaultSettings } from './service';
import type { ParseLimits, RuleSeverity, ServiceSettings } from './service';

const SEVERITIES = new Set<RuleSeverity>(['off', 'information', 'warning', 'error']);

export interface ServerSettings extends ServiceSettings {
  /** Run nvidia-smi / rocm-smi to find the GPU (only in trusted workspaces). */
  detectGpu: boolean;
  /** Fetch config.json of unknown models from the Hugging Face Hub (only in trusted workspaces). */
  hubLookup: boolean;
  /** Bounds on what one document may cost to analyse (`llamafactory.limits.*`). */
  limits: ParseLimits;
}

/** A whole number of at least `min`, else the fallback. */
function countOr(v: unknown, min: number, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fallback;
}

/** A percentage from 0 to 100, else the fallback. */
function percentOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && v >= 0 && v <= 100 ? v : fallback;
}

function normalizeLimits(raw: unknown): ParseLimits {
  const l = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    maxChars: countOr(l.maxFileSize, 1_000, defaultParseLimits.maxChars),
    maxAliasExpansions: countOr(l.maxAliasExpansions, 100, defaultParseLimits.maxAliasExpansions),
    maxDepth: countOr(l.maxNestingDepth, 10, defaultParseLimits.maxDepth),
  };
}

export function normalizeSettings(raw: unknown): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, RuleSeverity> = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [code, sev] of Object.entries(r.rules as Record<string, unknown>)) {
      if (SEVERITIES.has(sev as RuleSeverity)) rules[code] = sev as RuleSeverity;
    }
  }
  return {
    files: Array.isArray(r.files) ? r.files.filter((f): f is string => typeof f === 'string') : defaultSettings.files,
    rules,
    gpu: typeof r.gpu === 'string' ? r.gpu : defaultSettings.gpu,
    gpuCount: countOr(r.gpuCount, 1, defaultSettings.gpuCount),
    launch: typeof r.launch === 'string' ? r.launch : defaultSettings.launch,
    version: typeof r.version === 'string' ? r.version : defaultSettings.version,
    pythonEnvironment: typeof r.pythonEnvironment === 'string' && r.pythonEnvironment !== '' ? r.pythonEnvironment : undefined,
    detectGpu: r.detectGpu === true,
    hubLookup: r.hubLookup === true,
    unsafeFixes: r.unsafeFixes === true,
    limits: normalizeLimits(r.limits),
    datasetScanMB: countOr((r.datasets as Record<string, unknown> | undefined)?.maxScanMB, 1, DEFAULT_SCAN_MB),
    truncationWarnPercent: percentOr((r.datasets as Record<string, unknown> | undefined)?.truncationWarningPercent, DEFAULT_TRUNCATION_WARN_PERCENT),
  };
}

/**
 * What the user chose in the editor, for `LanguageService.settingsFor`: values left at their default
 * give way to the project config. (The editor reports a setting's value, not whether it was set, so a
 * value written equal to the default counts as unset.)
 */
export function editorChoices(settings: ServerSettings): ServerSettings | Omit<ServerSettings, 'gpuCount'> {
  const { gpuCount, ...rest } = settings;
  return gpuCount === defaultSettings.gpuCount ? rest : settings;
}
