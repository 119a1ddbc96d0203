// The analysis pipeline: parse → classify → schema → rules → diagnostics
// (suppressions and severity settings applied last). Pure: reads files only
// through the host.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { DataScanner } from './context/data/scan';
import type { ConfigDocument } from './document';
import { launchedDocument, markOverrideProblems, resolveLaunch } from './context/launch';
import { checkAccelerateFile, looksLikeAccelerate } from './context/launch/accelerate-check';
import { withLaunchCount } from './context/launch/gpu-count';
import { resolveTarget } from './hardware/target';
import type { DetectedGpu } from './hardware/target';
import { matchesAny } from './glob';
import { isExcluded } from './project/config';
import { rules } from './rules';
import { runRules } from './rules/run';
import { validateConfig } from './schema/validate';
import { isSuppressed, readSuppressions } from './suppress';
import type { ConfigKind, RuleSeverity, ServiceHost, ServiceSettings } from './types';
import type { AnalysisContext } from './context';
import { formatAvailable, releaseProblems } from './context/release/problems';
import { releaseResolver } from './context/release/resolve';
import type { ReleaseChoice, ReleaseResolver, ResolvedRelease } from './context/release/resolve';
import { validationHooks } from './context/release/validation';
import { schemaOf } from './context/release/release-schema';
import { asReleaseReads } from './values';
import { pyyamlNumbers } from './context/release/yaml-loader';

export interface AnalyzeInput {
  doc: ConfigDocument;
  /** File-system path of the config, for the paths it references. */
  configPath: string;
  settings: ServiceSettings;
  /** The GPU found on this machine (nvidia-smi), when detection is allowed. */
  detected?: DetectedGpu;
  /** Whether settings.gpu came from the editor settings or the CLI's --gpu flag. */
  gpuSource?: 'setting' | 'cli';
  /** The CLI gave --gpus (so the count is the user's, not a default). */
  gpuCountGiven?: boolean;
  /** The CLI's --launch command line; it comes before every other launch source. */
  launch?: string;
  /** The CLI's --lf-version / --lf-path, which win over the directive and the setting. */
  releaseChoice?: ReleaseChoice;
  /** Background scans of dataset files. */
  data?: DataScanner;
  /** The service's release resolver (its cache of read sources); one for the host when absent. */
  releases?: ReleaseResolver;
}

export interface Analysis {
  kind: ConfigKind;
  diagnostics: Diagnostic[];
  context: AnalysisContext;
  /** One sentence on the target GPU (or why there is none) for the status item. */
  targetStatus: string;
  /** The LLaMA-Factory the config was checked against, and where that came from. */
  release: ResolvedRelease;
}

/**
 * The kind after the `files` setting (a matching file counts as a v0 config even without the usual
 * keys) and the project config's `exclude` (an excluded file is left alone).
 */
export function effectiveKind(doc: ConfigDocument, configPath: string, settings: ServiceSettings): ConfigKind {
  if (isExcluded(settings.project, configPath)) return 'other';
  if (doc.kind === 'other' && settings.files.length > 0 && matchesAny(configPath, settings.files) && !/^\s*#\s*llamafactory\s*:\s*off/i.test(doc.text)) {
    return 'llamafactory-v0';
  }
  return doc.kind;
}

export function analyze(host: ServiceHost, input: AnalyzeInput): Analysis {
  const { doc, settings } = input;
  const kind = effectiveKind(doc, input.configPath, settings);
  const resolved = resolveTarget(doc, settings, input.detected, input.gpuSource, input.gpuCountGiven);
  const release = (input.releases ?? releaseResolver(host)).resolve(input.configPath, doc.text, input.releaseChoice, settings);
  if (kind === 'other') {
    const context: AnalysisContext = { doc, configPath: input.configPath, host, settings, target: resolved.target, data: input.data, release };
    const found = looksLikeAccelerate(doc) ? [...doc.problems, ...checkAccelerateFile(doc, resolved.target)] : [];
    return { kind, diagnostics: finish(doc, settings, found), context, targetStatus: resolved.status, release };
  }
  const launch = resolveLaunch({ doc, configPath: input.configPath, host, setting: settings.launch ?? '', option: input.launch });
  const counted = withLaunchCount(resolved.target, launch);
  const context: AnalysisContext = { doc: asReleaseReads(launchedDocument(doc, launch), schemaOf(release, kind)), configPath: input.configPath, host, settings, target: counted.target, data: input.data, release, ...(launch ? { launch } : {}) };
  const found: Diagnostic[] = [...doc.problems, ...resolved.problems, ...releaseProblems(doc, kind, release), ...(launch?.problems ?? []), ...counted.problems];
  const parsedCleanly = !doc.problems.some((p) => p.severity === DiagnosticSeverity.Error);
  if (doc.parsed && formatAvailable(kind, release)) {
    found.push(...validateConfig(context.doc, kind, validationHooks(release, kind)));
    if (kind === 'llamafactory-v0') found.push(...pyyamlNumbers(context.doc, release));
    if (parsedCleanly) {
      found.push(...runRules(rules, context, kind));
    }
  }
  return { kind, diagnostics: finish(doc, settings, markOverrideProblems(found, launch)), context, targetStatus: resolved.status, release };
}

/** Suppression comments and severity settings applied, sorted by position. */
export function finish(doc: ConfigDocument, settings: ServiceSettings, found: Diagnostic[]): Diagnostic[] {
  const suppressions = readSuppressions(doc.text);
  const diagnostics: Diagnostic[] = [];
  for (const d of found) {
    if (isSuppressed(suppressions, d)) continue;
    const override = settings.rules[String(d.code)];
    if (override === 'off') continue;
    // A copy: the parse's problems and rule results are cached, and the next analysis may have other settings.
    diagnostics.push(override ? { ...d, severity: severityOf(override) } : d);
  }
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return diagnostics;
}

function severityOf(s: Exclude<RuleSeverity, 'off'>): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : s === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}
