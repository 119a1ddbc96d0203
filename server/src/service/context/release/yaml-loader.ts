// How the release reads the YAML file. Up to 0.9.3, read_args uses PyYAML's
// yaml.safe_load; from 0.9.4 OmegaConf.load (LLaMA-Factory PR #8505). The
// document is typed the OmegaConf way once; for a PyYAML release this finds the
// numbers PyYAML would leave as text: its YAML 1.1 float resolver wants a dot,
// and a signed exponent (`2e-5`, `1.0e5` stay strings: LLaMA-Factory issue
// #4014, the optimizer then compares a float with a str).
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from '../../document';
import { formatScalar } from '../../edits';
import { t } from '../../l10n';
import { replaceFix } from '../../schema/validate';
import { makeDiagnostic } from '../../types';
import type { ResolvedRelease } from './resolve';
import { describeRelease } from './resolve';

// PyYAML's resolver patterns (yaml/resolver.py, Resolver.add_implicit_resolver for int and float).
const PYYAML_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const PYYAML_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;

/** Whether PyYAML's safe_load reads this plain scalar as a number. */
export function pyyamlReadsNumber(raw: string): boolean {
  return PYYAML_FLOAT.test(raw) || PYYAML_INT.test(raw);
}

/** Numbers that the release's PyYAML reads as text. */
export function pyyamlNumbers(doc: ConfigDocument, release: ResolvedRelease): Diagnostic[] {
  if (release.facts.yaml !== 'pyyaml') return [];
  const out: Diagnostic[] = [];
  for (const entry of doc.entries) {
    if (typeof entry.value !== 'number' || entry.quoted) continue;
    const raw = doc.text.slice(doc.offsetAt(entry.valueRange.start), doc.offsetAt(entry.valueRange.end)).trim();
    if (pyyamlReadsNumber(raw)) continue;
    out.push(makeDiagnostic(entry.valueRange, DiagnosticSeverity.Error, 'yaml-number-as-text',
      t('{0} reads YAML with PyYAML, which takes `{1}` as the text "{1}", not a number (a float needs a dot and a signed exponent, as in 1.0e-4); training then fails on it. Write {2}.', describeRelease(release), raw, formatScalar(entry.value)), replaceFix(entry.key, entry.value, true)));
  }
  return out;
}

/** A repeated key under PyYAML, which silently keeps the last value (OmegaConf refuses the file: the schema layer's default). */
export function pyyamlDuplicate(entry: ConfigEntry, firstLine: number, release: ResolvedRelease): { severity: DiagnosticSeverity; message: string } | undefined {
  if (release.facts.yaml !== 'pyyaml') return undefined;
  return {
    severity: DiagnosticSeverity.Warning,
    message: t('`{0}` is already set on line {1}. {2} reads YAML with PyYAML, which silently keeps this later value and ignores line {1}; keep one of them.', entry.key, firstLine, describeRelease(release)),
  };
}
