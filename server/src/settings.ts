// Turns whatever the client sends for the `llamafactory` settings section into
// complete ServiceSettings; a wrong type falls back to the default.
import type { RuleSeverity, ServiceSettings } from './service/types';
import { defaultSettings } from './service/types';

const SEVERITIES = new Set<RuleSeverity>(['off', 'information', 'warning', 'error']);

export interface ServerSettings extends ServiceSettings {
  /** Run nvidia-smi / rocm-smi to find the GPU (only in trusted workspaces). */
  detectGpu: boolean;
  /** Fetch config.json of unknown models from the Hugging Face Hub (only in trusted workspaces). */
  hubLookup: boolean;
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
    gpuCount: typeof r.gpuCount === 'number' && Number.isInteger(r.gpuCount) && r.gpuCount >= 1 ? r.gpuCount : defaultSettings.gpuCount,
    detectGpu: r.detectGpu === true,
    hubLookup: r.hubLookup === true,
  };
}
