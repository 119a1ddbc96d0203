// The GPU count the checks and the estimate use, with the launch in the
// picture: a count the user stated (a count in the llamafactory-gpu comment,
// --gpus, a gpuCount setting) wins, and a launch that disagrees gets a warning;
// otherwise the launch's process count replaces the default or detected count.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TargetGpu } from '../../hardware/types';
import { t } from '../../l10n';
import { makeDiagnostic } from '../../types';
import type { LaunchContext } from './index';

export function withLaunchCount(target: TargetGpu | undefined, launch: LaunchContext | undefined): { target: TargetGpu | undefined; problems: Diagnostic[] } {
  const gpus = launch?.gpus;
  if (!target || !launch || gpus === undefined || gpus === target.count) return { target, problems: [] };
  if (!target.countStated) return { target: { ...target, count: gpus, countFrom: 'launch' }, problems: [] };
  const prefix = launch.source.kind === 'directive' ? '' : `${t('Launch command ({0}):', launch.source.label)} `;
  return {
    target,
    problems: [makeDiagnostic(launch.at, DiagnosticSeverity.Warning, 'launch-gpu-count-mismatch',
      prefix + t('The launch runs {0} processes (one per GPU), but the target GPU count is {1}; the checks and the estimate use {1}. Make them agree.', gpus, target.count))],
  };
}

/** The number of GPUs the run uses, as far as anything says: the target, else the launch, else the setting. */
export function gpuCountOf(target: TargetGpu | undefined, launch: LaunchContext | undefined, settingCount: number): number {
  return target?.count ?? launch?.gpus ?? settingCount;
}
