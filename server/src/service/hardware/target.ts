// Decides the GPU a config is checked against. In order: a directive comment
// among the file's leading comments, then the settings, then the GPU detected
// on this machine. The directive reads
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
  const lines = text.replace(/^\uFEFF/, '').split(LINE_BREAK);
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  for (let line = 0; line < lines.length; line++) {
    const raw = lines[line];
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

const HOW_TO_SET = `Set one with a \`${DIRECTIVE_EXAMPLE}\` comment at the top of the file or with the GPU setting.`;

/** The target GPU for `doc`: directive > settings > detected. */
export function resolveTarget(
  doc: ConfigDocument,
  settings: ServiceSettings,
  detected?: DetectedGpu,
  settingsSource: 'setting' | 'cli' = 'setting',
): TargetResult {
  const problems: Diagnostic[] = [];
  const directive = findGpuDirective(doc.text);
  if (directive) {
    if (OFF.has(directive.name.toLowerCase())) {
      return { target: undefined, problems, status: 'No target GPU: hardware checks are off for this file (its llamafactory-gpu comment says so).' };
    }
    let count = 1;
    if (directive.count !== undefined) {
      if (directive.count >= 1) count = directive.count;
      else problems.push(makeDiagnostic(directive.countRange!, DiagnosticSeverity.Warning, 'hw-directive-count', 'The GPU count must be 1 or more; 1 is used.'));
    }
    const match = resolveGpu(directive.name);
    if (match) {
      const target: TargetGpu = { gpu: match.gpu, count, source: 'directive', ...(match.note ? { matchNote: match.note } : {}) };
      return { target, problems, status: `Target: ${label(match.gpu, count)} (from the file's llamafactory-gpu comment)` };
    }
    const suggestions = suggestGpuIds(directive.name);
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : '';
    problems.push(
      makeDiagnostic(directive.nameRange, DiagnosticSeverity.Warning, 'hw-unknown-gpu',
        `No GPU in the catalog is called "${directive.name}", so hardware checks are off for this file.${hint}`,
        { suggestions }),
    );
    return { target: undefined, problems, status: `No target GPU: "${directive.name}" in the file's llamafactory-gpu comment is not a known GPU.` };
  }

  const fromSettings = settings.gpu.trim();
  if (fromSettings) {
    const match = resolveGpu(fromSettings);
    const count = Number.isInteger(settings.gpuCount) && settings.gpuCount >= 1 ? settings.gpuCount : 1;
    if (match) {
      const target: TargetGpu = { gpu: match.gpu, count, source: settingsSource, ...(match.note ? { matchNote: match.note } : {}) };
      const where = settingsSource === 'cli' ? 'from the command line' : 'from the GPU setting';
      return { target, problems, status: `Target: ${label(match.gpu, count)} (${where})` };
    }
    return { target: undefined, problems, status: `No target GPU: "${fromSettings}" is not a known GPU. ${HOW_TO_SET}` };
  }

  if (detected && detected.count >= 1) {
    const match = resolveGpu(detected.name, { memoryMiB: detected.memoryMiB });
    if (match) {
      const target: TargetGpu = { gpu: match.gpu, count: detected.count, source: 'detected', ...(match.note ? { matchNote: match.note } : {}) };
      return { target, problems, status: `Target: ${label(match.gpu, detected.count)} (detected on this machine)` };
    }
  }
  return { target: undefined, problems, status: `No target GPU: hardware checks are off. ${HOW_TO_SET}` };
}
