// Diagnostics for an accelerate config opened on its own (the files that
// `accelerate launch --config_file` reads, like LLaMA-Factory's
// examples/accelerate/*.yaml): keys accelerate does not know, values it would
// refuse, and a process count that does not fit the GPUs.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../../document';
import type { TargetGpu } from '../../hardware/types';
import { t } from '../../l10n';
import { closest } from '../../text/similar';
import { makeDiagnostic } from '../../types';
import { ACCELERATE_KEYS, BOOLEANS, CHOICES, COUNTS, DEEPSPEED_KEYS, FSDP_KEYS, looksLikeAccelerate, nestedKeys } from './accelerate';

export { looksLikeAccelerate };

const NESTED: Record<string, ReadonlySet<string>> = { fsdp_config: FSDP_KEYS, deepspeed_config: DEEPSPEED_KEYS };

function valueProblem(key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const choices = CHOICES[key];
  // accelerate loads the file with yaml.safe_load (config_args.py), where a bare NO is the boolean false: it then
  // matches no DistributedType (__post_init__ converts strings only), so the file's intent is lost.
  if (key === 'distributed_type' && value === false) return t('accelerate reads YAML with PyYAML, which takes a bare `NO` as false; write `\'NO\'` in quotes.');
  if (choices) {
    // accelerate upper-cases nothing: enum values must match as written (numbers may be strings of digits).
    const ok = choices.some((c) => c === value || (typeof c === 'number' && typeof value === 'string' && String(c) === value) || (key === 'mixed_precision' && value === false));
    return ok ? undefined : t('`{0}` must be one of {1}.', key, choices.map((c) => `\`${c}\``).join(', '));
  }
  if (COUNTS.has(key)) return typeof value === 'number' && Number.isInteger(value) && (value >= 1 || value === -1) ? undefined : t('`{0}` must be a whole number of at least 1.', key);
  if (BOOLEANS.has(key)) return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value)) ? undefined : t('`{0}` must be true or false.', key);
  return undefined;
}

function suggestion(key: string, known: ReadonlySet<string>): string {
  const near = closest(key, [...known]);
  return near ? ` ${t('Did you mean `{0}`?', near)}` : '';
}

export function checkAccelerateFile(doc: ConfigDocument, target: TargetGpu | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of doc.entries) {
    if (!ACCELERATE_KEYS.has(e.key)) {
      // config_args.py: unknown top-level keys raise ValueError when the file is loaded.
      out.push(makeDiagnostic(e.keyRange, DiagnosticSeverity.Error, 'accelerate-unknown-key', t('accelerate does not know the key `{0}` and refuses the whole file.', e.key) + suggestion(e.key, ACCELERATE_KEYS)));
      continue;
    }
    const problem = valueProblem(e.key, e.value);
    if (problem) out.push(makeDiagnostic(e.valueRange, DiagnosticSeverity.Error, 'accelerate-invalid-value', problem));
    const known = NESTED[e.key];
    if (!known) continue;
    for (const n of nestedKeys(doc, e)) {
      if (!known.has(n.key)) {
        // Nested keys are passed on as environment variables; an unknown one is silently ignored.
        out.push(makeDiagnostic(n.keyRange, DiagnosticSeverity.Warning, 'accelerate-unknown-key', t('accelerate does not know `{0}` in `{1}` and ignores it.', n.key, e.key) + suggestion(n.key, known)));
        continue;
      }
      const nested = valueProblem(n.key, n.value);
      if (nested) out.push(makeDiagnostic(n.valueRange, DiagnosticSeverity.Error, 'accelerate-invalid-value', nested));
    }
  }
  out.push(...processCount(doc, target));
  return out;
}

function processCount(doc: ConfigDocument, target: TargetGpu | undefined): Diagnostic[] {
  const entry = doc.byKey.get('num_processes');
  const processes = entry?.value;
  if (!entry || typeof processes !== 'number' || !Number.isInteger(processes) || processes < 1) return [];
  const machines = doc.byKey.get('num_machines')?.value;
  const nodes = typeof machines === 'number' && Number.isInteger(machines) && machines >= 1 ? machines : 1;
  const type = doc.byKey.get('distributed_type')?.value;
  if (type === 'NO' && processes > 1) {
    return [makeDiagnostic(entry.valueRange, DiagnosticSeverity.Warning, 'accelerate-num-processes',
      t('`distributed_type: NO` runs one process, but `num_processes` is {0}. Use MULTI_GPU, FSDP or DEEPSPEED for several GPUs.', processes))];
  }
  if (processes % nodes !== 0) {
    return [makeDiagnostic(entry.valueRange, DiagnosticSeverity.Warning, 'accelerate-num-processes',
      t('`num_processes` ({0}) counts the processes on all machines and should be a multiple of `num_machines` ({1}).', processes, nodes))];
  }
  // Only a count the user wrote or the machine reported is compared; the default of 1 says nothing.
  if (target && (target.countStated || target.source === 'detected') && processes / nodes > target.count) {
    return [makeDiagnostic(entry.valueRange, DiagnosticSeverity.Warning, 'accelerate-num-processes',
      t('`num_processes` asks for {0} processes per machine, but the target has {1} GPUs; the extra processes have no GPU of their own.', processes / nodes, target.count))];
  }
  return [];
}
