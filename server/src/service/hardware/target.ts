// Decides the GPU a config is checked against. In order: a directive comment
// among the file's leading comments, then the settings, then the GPU detected
// on this machine (an explicit --gpu on the command line comes first). The directive reads
//
//   # llamafactory-gpu: a100-80gb-sxm x4
//
// (case-insensitive; any GPU name `resolveGpu` understands; an optional count
// written `x4`, `*4` or `×4`; `none` or `off` turns hardware checks off for the file).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../document';
import { LINE_BREAK } from '../document';
import { makeDiagnostic } from '../types';
import type { ServiceSettings } from '../types';
import { resolveGpu, suggestGpuIds } from './resolve';
import type { GpuFacts, TargetGpu } from './types';
import { t } from '../l10n';

export interface DetectedGpu {
  name: string;
  count: number;
  memoryMiB?: number;
}

export interface TargetResult {
  target: TargetGpu | undefined;
  /** Problems with the directive, placed on it. */
  problems: Diagnostic[];
  /** One sentence for the language-status item. */
  status: string;
}

export interface GpuDirective {
  /** The GPU name as written (`none`/`off` included). */
  name: string;
  nameRange: Range;
  /** The count when one is written. */
  count?: number;
  countRange?: Range;
}

const DIRECTIVE = /^(\s*#\s*llamafactory-gpu\s*:\s*)(.*?)\s*$/i;
const COUNT = /^(.*?)(?:\s+[x×*]\s*|\s*[×*]\s*)(\d+)$/i;
export const DIRECTIVE_EXAMPLE = '# llamafactory-gpu: a100-80gb-sxm x4';

/** Finds the directive among the comment lines before the first YAML content. */
export function findGpuDirective(text: string): GpuDirective | undefined {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  // Only the lines before the first content matter: read them one at a time, not the whole file.
  const breaks = new RegExp(LINE_BREAK.source, 'g');
  let from = bom;
  for (let line = 0; from <= text.length; line++) {
    breaks.lastIndex = from;
    const found = breaks.exec(text);
    const raw = text.slice(from, found ? found.index : text.length);
    from = found ? found.index + found[0].length : text.length + 1;
    if (raw.trim() === '') continue;
    if (!raw.trimStart().startsWith('#')) return undefined;
    const m = DIRECTIVE.exec(raw);
    if (!m) continue;
    const shift = line === 0 ? bom : 0;
    const start = m[1].length + shift;
    const value = m[2];
    const counted = COUNT.exec(value);
    const name = (counted ? counted[1] : value).trim();
    const nameRange = { start: { line, character: start }, end: { line, character: start + name.length } };
    if (!counted) return { name, nameRange };
    const countStart = start + value.length - counted[2].length;
    return {
      name,
      nameRange,
      count: Number(counted[2]),
      countRange: { start: { line, character: countStart }, end: { line, character: countStart + counted[2].length } },
    };
  }
  return undefined;
}

const OFF = new Set(['none', 'off']);

function label(gpu: GpuFacts, count: number): string {
  return count > 1 ? `${gpu.name} ×${count}` : gpu.name;
}

const howToSet = (): string => t('Set one with a `{0}` comment at the top of the file or with the GPU setting.', DIRECTIVE_EXAMPLE);

/** The target GPU for `doc`: directive > settings > detected. */
export function resolveTarget(
  doc: ConfigDocument,
  settings: ServiceSettings,
  detected?: DetectedGpu,
  settingsSource: 'setting' | 'cli' = 'setting',
  countGiven = false,
): TargetResult {
  const problems: Diagnostic[] = [];
  // An explicit --gpu on the command line asks about that GPU, whatever the file says.
  if (settingsSource === 'cli') {
    const asked = fromSettings(settings, settingsSource, problems, countGiven);
    if (asked) return asked;
  }
  const directive = findGpuDirective(doc.text);
  if (directive) {
    if (OFF.has(directive.name.toLowerCase())) {
      return { target: undefined, problems, status: t('No target GPU: hardware checks are off for this file (its llamafactory-gpu comment says so).') };
    }
    let count = 1;
    if (directive.count !== undefined) {
      if (directive.count >= 1) count = directive.count;
      else problems.push(makeDiagnostic(directive.countRange!, DiagnosticSeverity.Warning, 'hw-directive-count', t('The GPU count must be 1 or more; 1 is used.')));
    }
    const match = resolveGpu(directive.name);
    if (match) {
      const target: TargetGpu = { gpu: match.gpu, count, source: 'directive', countStated: directive.count !== undefined, ...(match.note ? { matchNote: match.note } : {}) };
      return { target, problems, status: t("Target: {0} (from the file's llamafactory-gpu comment)", label(match.gpu, count)) };
    }
    const suggestions = suggestGpuIds(directive.name);
    const hint = suggestions.length ? ` ${t('Did you mean {0}?', suggestions.map((s) => `\`${s}\``).join(', '))}` : '';
    problems.push(
      makeDiagnostic(directive.nameRange, DiagnosticSeverity.Warning, 'hw-unknown-gpu',
        t('No GPU in the catalog is called "{0}", so hardware checks are off for this file.', directive.name) + hint,
        { suggestions }),
    );
    return { target: undefined, problems, status: t("No target GPU: \"{0}\" in the file's llamafactory-gpu comment is not a known GPU.", directive.name) };
  }

  const configured = fromSettings(settings, settingsSource, problems, countGiven);
  if (configured) return configured;

  if (detected && detected.count >= 1) {
    const match = resolveGpu(detected.name, { memoryMiB: detected.memoryMiB });
    if (match) {
      const target: TargetGpu = { gpu: match.gpu, count: detected.count, source: 'detected', ...(match.note ? { matchNote: match.note } : {}) };
      return { target, problems, status: t('Target: {0} (detected on this machine)', label(match.gpu, detected.count)) };
    }
  }
  return { target: undefined, problems, status: `${t('No target GPU: hardware checks are off.')} ${howToSet()}` };
}

/** The target named by the settings (or the CLI's --gpu), when one is set. */
function fromSettings(settings: ServiceSettings, settingsSource: 'setting' | 'cli', problems: Diagnostic[], countGiven: boolean): TargetResult | undefined {
  const name = settings.gpu.trim();
  if (!name) return undefined;
  const match = resolveGpu(name);
  const count = Number.isInteger(settings.gpuCount) && settings.gpuCount >= 1 ? settings.gpuCount : 1;
  if (match) {
    // The setting's default of 1 cannot be told from a written 1, so only another count counts as stated.
    const countStated = settingsSource === 'cli' ? countGiven : count !== 1;
    const target: TargetGpu = { gpu: match.gpu, count, source: settingsSource, countStated, ...(match.note ? { matchNote: match.note } : {}) };
    const status = settingsSource === 'cli' ? t('Target: {0} (from the command line)', label(match.gpu, count)) : t('Target: {0} (from the GPU setting)', label(match.gpu, count));
    return { target, problems, status };
  }
  return { target: undefined, problems, status: `${t('No target GPU: "{0}" is not a known GPU.', name)} ${howToSet()}` };
}
