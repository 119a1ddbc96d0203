// Diagnostics about the release itself: an explicit version that could not be
// used (the check falls back to the newest release and says so), and a v1
// config for a release that has no v1 format (it arrived in 0.9.4).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../../document';
import { t } from '../../l10n';
import type { ConfigKind } from '../../types';
import { makeDiagnostic } from '../../types';
import { describeRelease, versionDirective } from './resolve';
import type { ResolvedRelease } from './resolve';

/** Whether the release reads this config format at all. */
export function formatAvailable(kind: ConfigKind, release: ResolvedRelease): boolean {
  return kind !== 'llamafactory-v1' || release.facts.v1Keys.length > 0;
}

export function releaseProblems(doc: ConfigDocument, kind: ConfigKind, release: ResolvedRelease): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (release.problem) {
    out.push(makeDiagnostic(directiveRange(doc), DiagnosticSeverity.Warning, 'unknown-release',
      `${release.problem} ${t('Checking against {0} instead.', describeRelease(release))}`));
  }
  if (!formatAvailable(kind, release)) {
    out.push(makeDiagnostic(lineRange(doc, 0), DiagnosticSeverity.Error, 'v1-unavailable',
      t('This is a v1-format config, which LLaMA-Factory reads from 0.9.4 on (with USE_V1=1); this workspace uses {0}. Use the v0 keys or update LLaMA-Factory.', describeRelease(release))));
  }
  return out;
}

/** The `# llamafactory-version:` line, else the first line. */
function directiveRange(doc: ConfigDocument): ReturnType<typeof lineRange> {
  return lineRange(doc, versionDirective(doc.text)?.line ?? 0);
}

function lineRange(doc: ConfigDocument, line: number): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const text = doc.text.split('\n', line + 1)[line] ?? '';
  return { start: { line, character: 0 }, end: { line, character: text.replace(/\r$/, '').length } };
}
