// Keys whose value is a mapping written inline, a JSON string starting with
// `{`, or (for some) the path of a JSON file. A JSON string is decoded while
// the arguments are parsed, so bad JSON aborts the launch; a path that does not
// exist fails when the file is opened. (`deepspeed:` has its own rule in
// rules/train/deepspeed.ts.)
import { readJson, resolveReference } from '../../files';
import { argValue, parsePythonJson } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR } from '../rule';

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

export const jsonStringInvalid = defineRule({
  codes: ['json-string-invalid'],
  covers: [...new Set(Object.values(JSON_STRING_KEYS))],
  check: (ctx) =>
    Object.keys(JSON_STRING_KEYS).map((key) => {
      const value = argValue(ctx.doc, key);
      if (typeof value !== 'string' || !value.startsWith('{') || parsePythonJson(value) !== undefined) return undefined;
      return {
        code: 'json-string-invalid',
        severity: ERROR,
        at: key,
        message: t('`{0}` starts with `{`, so it is decoded as JSON while the arguments are parsed, and this is not valid JSON (check quotes: JSON needs double quotes). Writing it as a YAML mapping avoids the quoting.', key),
        onValue: true,
      };
    }),
});

export const referencedFileMissing = defineRule({
  codes: ['referenced-file-missing', 'referenced-file-invalid'],
  covers: [...new Set(Object.values(FILE_KEYS))],
  check: (ctx) =>
    Object.keys(FILE_KEYS).map((key) => {
      const value = argValue(ctx.doc, key);
      if (typeof value !== 'string' || value.trim() === '' || value.startsWith('{')) return undefined;
      const found = resolveReference(value, ctx.configPath, ctx.host);
      if (!found) {
        return {
          code: 'referenced-file-missing',
          severity: ERROR,
          at: key,
          message: t('`{0}` was not found next to the config, in a folder above it or in the workspace; `{1}` must name an existing JSON file (paths are relative to the folder LLaMA-Factory is launched from).', value, key),
          onValue: true,
        };
      }
      if (readJson(ctx.host, found.path) !== undefined) return undefined;
      return {
        code: 'referenced-file-invalid',
        severity: ERROR,
        at: key,
        message: t('`{0}` is not valid JSON, so loading `{1}` fails at launch.', found.path, key),
        onValue: true,
      };
    }),
});

export const configFileRules = [jsonStringInvalid, referencedFileMissing];
