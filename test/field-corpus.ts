// The field corpus and how it is measured, shared by the recall test and
// tools/fix-rate.ts. Two sets of broken configs, each problem marked with the
// line and code it must be reported as:
// - test/fixtures/field: configs of the kind users post with their error;
// - upstream-derived: LLaMA-Factory's own example configs, each with one field
//   mistake written into it (another tool's key or word, a Python type the YAML
//   hides, a model or dataset that does not suit the config).
// A problem is *found* when a diagnostic with its code sits on its line, and
// *fixed* when that diagnostic offers a quick-fix other than a disable comment
// whose result no longer has the diagnostic.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { defaultSettings } from '../server/src/service';
import { LINE_BREAK } from '../server/src/service/document';
import { foreignKeys } from '../server/src/service/schema/foreign';
import { v0Examples } from './corpus';
import { placeFor } from './fix-roundtrip';
import type { Place } from './fix-roundtrip';
import { applyChecked } from './fuzz-support';
import { fixturesDir, fsHost } from './helpers';
import { corpusDir } from './vendored';

export const fieldDir = path.join(fixturesDir, 'field');

export interface Problem {
  line: number;
  severity: DiagnosticSeverity;
  code: string;
}

export interface BrokenConfig {
  name: string;
  kind: string;
  /** Where the config is checked (a file path: referenced files resolve from its folder). */
  configPath: string;
  text: string;
  problems: Problem[];
}

const SEVERITY: Record<string, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };

/** `# <- severity code` markers (several joined by `;`). */
export function markers(text: string): Problem[] {
  return text.split(LINE_BREAK).flatMap((line, i) => {
    const m = /# <- (.*)$/.exec(line);
    if (!m) return [];
    return m[1].split(';').map((part) => {
      const [sev, code] = part.trim().split(/\s+/);
      return { line: i, severity: SEVERITY[sev], code };
    });
  });
}

/** The configs under test/fixtures/field, each with its `# kind:` header. */
export function fieldFixtures(): BrokenConfig[] {
  return readdirSync(fieldDir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((name) => {
      const configPath = path.join(fieldDir, name);
      const text = readFileSync(configPath, 'utf8');
      return { name, kind: /^# kind: (\S+)/m.exec(text)?.[1] ?? 'unknown', configPath, text, problems: markers(text) };
    });
}

interface Mutation {
  kind: string;
  code: string;
  severity?: DiagnosticSeverity;
  /** Rewrites one `key: value` line; undefined when the config has nothing to mutate. */
  apply(lines: string[]): { lines: string[]; line: number } | undefined;
}

const lineOf = (lines: string[], key: string) => lines.findIndex((l) => l.startsWith(`${key}:`));

/** Replaces the line of `key` with `replacement`. */
function rewrite(key: string, replacement: (value: string) => string | undefined): Mutation['apply'] {
  return (lines) => {
    const i = lineOf(lines, key);
    if (i < 0) return undefined;
    const value = lines[i].slice(key.length + 1).replace(/\s+#.*$/, '').trim();
    const next = replacement(value);
    if (next === undefined) return undefined;
    const out = [...lines];
    out[i] = next;
    return { lines: out, line: i };
  };
}

/** Each foreign name written in place of its LLaMA-Factory key, where the value carries over as is. */
function foreignKeyMutations(): Mutation[] {
  return foreignKeys()
    .filter((fk) => fk.translate === 'same' && fk.to !== 'model_name_or_path')
    .map((fk) => ({ kind: 'foreign-names', code: 'foreign-key', apply: rewrite(fk.to, (v) => `${fk.key}: ${v}`) }));
}

/** Upstream example configs with one field mistake each. */
const MUTATIONS: Mutation[] = [
  ...foreignKeyMutations(),
  { kind: 'foreign-names', code: 'foreign-key', apply: rewrite('model_name_or_path', (v) => `base_model: ${v}`) },
  { kind: 'foreign-names', code: 'foreign-key', apply: rewrite('quantization_bit', (v) => (v === '4' ? 'load_in_4bit: true' : v === '8' ? 'load_in_8bit: true' : undefined)) },
  { kind: 'foreign-names', code: 'foreign-key', apply: rewrite('lora_target', (v) => (v === 'all' ? 'lora_target_linear: true' : `target_modules: [${v}]`)) },
  { kind: 'foreign-names', code: 'foreign-key', apply: rewrite('lr_scheduler_type', (v) => `lr_scheduler: ${v}`) },
  { kind: 'foreign-names', code: 'foreign-key', apply: rewrite('finetuning_type', (v) => (v === 'lora' ? 'adapter: lora' : undefined)) },
  { kind: 'foreign-names', code: 'foreign-value', apply: rewrite('lr_scheduler_type', (v) => (v === 'cosine' ? 'lr_scheduler_type: cosine_with_warmup' : undefined)) },
  { kind: 'foreign-names', code: 'foreign-value', apply: rewrite('flash_attn', (v) => (v === 'fa2' ? 'flash_attn: flash_attention_2' : undefined)) },
  { kind: 'foreign-names', code: 'foreign-value', apply: rewrite('bf16', (v) => (v === 'true' ? 'bf16: auto' : undefined)) },
  { kind: 'foreign-names', code: 'foreign-value', apply: rewrite('lora_target', (v) => (v === 'all' ? 'lora_target: all-linear' : undefined)) },
  { kind: 'foreign-names', code: 'foreign-value', apply: rewrite('quantization_bit', (v) => (/^[48]$/.test(v) ? `quantization_bit: ${v}bit` : undefined)) },
  { kind: 'recognition', code: 'unknown-key', apply: rewrite('model_name_or_path', (v) => `model_name_or_pth: ${v}`) },
  { kind: 'recognition', code: 'model-key-missing', apply: (lines) => {
    const i = lineOf(lines, 'model_name_or_path');
    if (i < 0) return undefined;
    const out = lines.filter((_, j) => j !== i);
    return { lines: out, line: out.findIndex((l) => /^[A-Za-z_]/.test(l)) };
  } },
  { kind: 'python-types', code: 'python-float-for-int', apply: rewrite('cutoff_len', (v) => (/^\d+$/.test(v) ? `cutoff_len: ${v}.0` : undefined)) },
  { kind: 'python-types', code: 'python-float-for-int', apply: rewrite('gradient_accumulation_steps', (v) => (/^\d+$/.test(v) ? `gradient_accumulation_steps: ${v}.0` : undefined)) },
  { kind: 'python-types', code: 'python-float-for-int', apply: rewrite('max_samples', (v) => (/^\d+$/.test(v) ? `max_samples: ${Number(v).toExponential().replace('+', '')}` : undefined)) },
  { kind: 'python-types', code: 'python-none-string', apply: (lines) => {
    const i = lineOf(lines, 'output_dir');
    return i < 0 ? undefined : { lines: [...lines.slice(0, i + 1), 'resume_from_checkpoint: None', ...lines.slice(i + 1)], line: i + 1 };
  } },
  { kind: 'python-types', code: 'string-number', apply: rewrite('learning_rate', (v) => `learning_rate: "${v}"`) },
  { kind: 'python-types', code: 'python-comma-string-list', apply: rewrite('report_to', () => 'report_to: wandb,tensorboard') },
  { kind: 'model-vs-config', code: 'lora-target-not-in-model', apply: (lines) => {
    const model = lines[lineOf(lines, 'model_name_or_path')] ?? '';
    return /Qwen\/Qwen(2\.5|3)-/.test(model) ? rewrite('lora_target', () => 'lora_target: c_attn')(lines) : undefined;
  } },
  { kind: 'model-vs-config', code: 'template-model-mismatch', severity: DiagnosticSeverity.Warning, apply: (lines) => {
    const model = lines[lineOf(lines, 'model_name_or_path')] ?? '';
    return /Instruct/.test(model) ? rewrite('template', (v) => (v === 'default' ? undefined : 'template: default'))(lines) : undefined;
  } },
  { kind: 'data-vs-stage', code: 'dataset-corpus-under-sft', apply: (lines) =>
    /^stage: sft\b/m.test(lines.join('\n')) ? rewrite('dataset', () => 'dataset: c4_demo')(lines) : undefined },
  { kind: 'data-vs-stage', code: 'dataset-stage-mismatch', apply: (lines) =>
    /^stage: (dpo|rm)\b/m.test(lines.join('\n')) ? rewrite('dataset', () => 'dataset: alpaca_en_demo')(lines) : undefined },
  { kind: 'data-vs-stage', code: 'dataset-stage-mismatch', apply: (lines) =>
    /^stage: sft\b/m.test(lines.join('\n')) ? rewrite('dataset', () => 'dataset: dpo_en_demo')(lines) : undefined },
];

/** Training configs of LLaMA-Factory's examples, each mutated by every mutation that applies to it. */
export function upstreamDerived(): BrokenConfig[] {
  const out: BrokenConfig[] = [];
  for (const file of v0Examples()) {
    const text = readFileSync(file, 'utf8');
    if (!/^do_train: true/m.test(text)) continue;
    const lines = text.split(LINE_BREAK);
    MUTATIONS.forEach((m, i) => {
      const r = m.apply(lines);
      if (!r || r.line < 0) return;
      out.push({
        name: `${path.relative(corpusDir, file)}#${i}`,
        kind: m.kind,
        // Checked where the example lives, so `dataset_dir: data` finds LLaMA-Factory's own registry.
        configPath: file,
        text: r.lines.join('\n'),
        problems: [{ line: r.line, severity: m.severity ?? DiagnosticSeverity.Error, code: m.code }],
      });
    });
  }
  return out;
}

export interface Tally {
  problems: number;
  found: number;
  /** Error-level problems, and those of them found with a real fix that clears them. */
  errors: number;
  fixed: number;
  /** Problems not found or (error-level) not fixed, for messages. */
  misses: string[];
}

const places = new Map<string, Place>();
function placeOf(configPath: string): Place {
  let p = places.get(configPath);
  if (!p) places.set(configPath, (p = placeFor(fsHost([path.dirname(configPath)]), configPath)));
  return p;
}

function analyse(at: Place, text: string) {
  return at.service.analyze({ uri: at.uri, text, configPath: at.configPath }, defaultSettings);
}

/** Whether some quick-fix (not a disable comment) of `d` leaves a text without it. */
function realFixClears(at: Place, text: string, d: Diagnostic, all: Diagnostic[], context: ReturnType<typeof analyse>['context']): boolean {
  const actions = at.service.codeActions(context, d.range, all, ['quickfix']).filter((a) => a.diagnostics?.includes(d) && !/llamafactory-disable/.test(JSON.stringify(a.edit)));
  return actions.some((a) => {
    const edits = a.edit?.changes?.[at.uri] ?? [];
    const after = analyse(at, applyChecked(text, edits, String(d.code)));
    return !after.diagnostics.some((x) => x.code === d.code && x.message === d.message);
  });
}

/** Recall and fix rate per kind over `configs`. */
export function measure(configs: BrokenConfig[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const c of configs) {
    const tally = out.get(c.kind) ?? out.set(c.kind, { problems: 0, found: 0, errors: 0, fixed: 0, misses: [] }).get(c.kind)!;
    const at = placeOf(c.configPath);
    const a = analyse(at, c.text);
    for (const p of c.problems) {
      tally.problems++;
      const d = a.diagnostics.find((x) => x.code === p.code && x.range.start.line === p.line && x.severity === p.severity);
      if (d) tally.found++;
      else tally.misses.push(`${c.name}:${p.line + 1} ${p.code} not found`);
      if (p.severity !== DiagnosticSeverity.Error) continue;
      tally.errors++;
      if (d && realFixClears(at, c.text, d, a.diagnostics, a.context)) tally.fixed++;
      else if (d) tally.misses.push(`${c.name}:${p.line + 1} ${p.code} has no fix that clears it`);
    }
  }
  return out;
}

/** The sum of several tallies. */
export function total(tallies: Iterable<Tally>): Tally {
  const sum: Tally = { problems: 0, found: 0, errors: 0, fixed: 0, misses: [] };
  for (const t of tallies) {
    sum.problems += t.problems;
    sum.found += t.found;
    sum.errors += t.errors;
    sum.fixed += t.fixed;
    sum.misses.push(...t.misses);
  }
  return sum;
}

/** Every YAML file under test/fixtures (the broken fixtures of every rule family, and the valid ones). */
export function allFixtureFiles(dir = fixturesDir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? allFixtureFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

/** Every error-level diagnostic the files get, per code: how many, and how many have a real fix that clears them. */
export function errorFixRate(files: string[]): Map<string, { errors: number; fixed: number }> {
  const out = new Map<string, { errors: number; fixed: number }>();
  for (const file of files) {
    const at = placeOf(file);
    const text = readFileSync(file, 'utf8');
    const a = analyse(at, text);
    for (const d of a.diagnostics) {
      if (d.severity !== DiagnosticSeverity.Error) continue;
      const row = out.get(String(d.code)) ?? out.set(String(d.code), { errors: 0, fixed: 0 }).get(String(d.code))!;
      row.errors++;
      if (realFixClears(at, text, d, a.diagnostics, a.context)) row.fixed++;
    }
  }
  return out;
}
