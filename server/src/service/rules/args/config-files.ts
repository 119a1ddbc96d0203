// Keys whose value is a mapping written inline, a JSON string starting with
// `{`, or (for some) the path of a JSON file. A JSON string is decoded while
// the arguments are parsed, so bad JSON aborts the launch; a path that does not
// exist fails when the file is opened. (`deepspeed:` has its own rule in
// rules/train/deepspeed.ts.)
import { readJson, resolveReference } from '../../files';
import type { RuleContext } from '../types';
import { defineRule, DiagnosticSeverity, report } from './report';
import { argValue, asMapping, parsePythonJson } from '../../values';
import { t } from '../../l10n';

/** Keys decoded from a JSON string that starts with `{`, with the row that says so. */
const JSON_STRING_KEYS: Readonly<Record<string, string>> = {
  vllm_config: 'R24',
  sglang_config: 'R25',
  ray_init_kwargs: 'R60',
  extra_config: 'R67',
  accelerator_config: 'R69',
  fsdp_config: 'R69',
  gradient_checkpointing_kwargs: 'R69',
  lr_scheduler_kwargs: 'R69',
};

/** Keys whose other strings name a JSON file, with the row that says so. */
const FILE_KEYS: Readonly<Record<string, string>> = {
  extra_config: 'R67',
  accelerator_config: 'R91',
  fsdp_config: 'R96',
};

export type ReferencedJson =
  | { kind: 'inline'; value: Record<string, unknown> }
  | { kind: 'file'; path: string; value: Record<string, unknown> | undefined };

/**
 * The mapping `key` stands for: written inline, as a JSON string, or read from
 * the file it names. Undefined when unset, unreadable or not found.
 */
export function referencedJson(ctx: RuleContext, key: string): ReferencedJson | undefined {
  const value = argValue(ctx.doc, key);
  const inline = asMapping(value);
  if (inline) return { kind: 'inline', value: inline };
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('{')) {
    const parsed = asMapping(parsePythonJson(value)?.value);
    return parsed ? { kind: 'inline', value: parsed } : undefined;
  }
  const found = resolveReference(value, ctx.configPath, ctx.host);
  if (!found) return undefined;
  return { kind: 'file', path: found.path, value: asMapping(readJson(ctx.host, found.path)) };
}

export const jsonStringInvalid = defineRule(['json-string-invalid'], [...new Set(Object.values(JSON_STRING_KEYS))], (ctx) =>
  Object.keys(JSON_STRING_KEYS).map((key) => {
    const value = argValue(ctx.doc, key);
    if (typeof value !== 'string' || !value.startsWith('{') || parsePythonJson(value) !== undefined) return undefined;
    return report(ctx, key, DiagnosticSeverity.Error, 'json-string-invalid',
      t('`{0}` starts with `{`, so it is decoded as JSON while the arguments are parsed, and this is not valid JSON (check quotes: JSON needs double quotes). Writing it as a YAML mapping avoids the quoting.', key),
      { onValue: true });
  }),
);

export const referencedFileMissing = defineRule(['referenced-file-missing', 'referenced-file-invalid'], [...new Set(Object.values(FILE_KEYS))], (ctx) =>
  Object.keys(FILE_KEYS).map((key) => {
    const value = argValue(ctx.doc, key);
    if (typeof value !== 'string' || value.trim() === '' || value.startsWith('{')) return undefined;
    const found = resolveReference(value, ctx.configPath, ctx.host);
    if (!found) {
      return report(ctx, key, DiagnosticSeverity.Error, 'referenced-file-missing',
        t('`{0}` was not found next to the config, in a folder above it or in the workspace; `{1}` must name an existing JSON file (paths are relative to the folder LLaMA-Factory is launched from).', value, key),
        { onValue: true });
    }
    if (readJson(ctx.host, found.path) !== undefined) return undefined;
    return report(ctx, key, DiagnosticSeverity.Error, 'referenced-file-invalid',
      t('`{0}` is not valid JSON, so loading `{1}` fails at launch.', found.path, key), { onValue: true });
  }),
);

export const configFileRules = [jsonStringInvalid, referencedFileMissing];
