// ModelArguments.__post_init__ checks (rules.md section 2): they run for every
// command, so they apply to train, chat and export configs alike.
import { parse as parseYaml } from 'yaml';
import { resolveReference } from '../../files';
import { argValue, asMapping, has, isSet, numberArg, stringArg, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';
import { show } from '../helpers';
import type { AnalysisContext } from '../../context';

export const modelNameRequired = defineRule({
  codes: ['model-name-required'],
  covers: ['R13'],
  check: (ctx) => {
    if (!has(ctx.doc, 'model_name_or_path') || isSet(ctx.doc, 'model_name_or_path')) return [];
    return [
      {
        code: 'model-name-required',
        severity: ERROR,
        at: 'model_name_or_path',
        message: t('LLaMA-Factory stops at once without a base model: give `model_name_or_path` a hub id or a local folder.'),
        onValue: true,
      },
    ];
  },
});

/** Keys LLaMA-Factory splits with `str.split(',')`, so a YAML list crashes with AttributeError. */
const COMMA_STRING_KEYS = ['adapter_name_or_path', 'add_tokens', 'add_special_tokens'] as const;

export const commaListAsYamlList = defineRule({
  codes: ['comma-list-as-yaml-list'],
  covers: ['R14', 'R15', 'R19'],
  check: (ctx) =>
    COMMA_STRING_KEYS.map((key) => {
      const value = argValue(ctx.doc, key);
      if (!Array.isArray(value)) return undefined;
      // With a token config file the YAML value is replaced before it is split (R18).
      if (key === 'add_special_tokens' && isSet(ctx.doc, 'new_special_tokens_config')) return undefined;
      const scalars = value.every((v) => typeof v === 'string' || typeof v === 'number');
      const joined = value.map(String).join(',');
      return {
        code: 'comma-list-as-yaml-list',
        severity: ERROR,
        at: key,
        message: t('`{0}` must be one comma-separated string: LLaMA-Factory calls `.split(",")` on it, which fails on a YAML list.', key),
        onValue: true,
        fixes: scalars ? [{ title: t('Write as "{0}"', joined), ops: [{ set: key, value: joined }], preferred: true, safe: true }] : [],
      };
    }),
});

type TokenFile = { ok: true; keys: string[] } | { ok: false; why: string };

function readTokenFile(ctx: AnalysisContext, reference: string): TokenFile {
  const found = resolveReference(reference, ctx.configPath, ctx.host);
  if (!found) return { ok: false, why: t('the file `{0}` was not found next to the config, in a folder above it or in the workspace', reference) };
  let parsed: unknown;
  try {
    parsed = parseYaml(ctx.host.readFile(found.path) ?? '', { version: '1.1' });
  } catch {
    return { ok: false, why: t('`{0}` is not valid YAML', found.path) };
  }
  const mapping = asMapping(parsed);
  if (!mapping) return { ok: false, why: t('`{0}` must be a mapping of `token: description` lines', found.path) };
  return { ok: true, keys: Object.keys(mapping) };
}

export const specialTokensConfig = defineRule({
  codes: ['special-tokens-config-invalid', 'special-tokens-overridden'],
  covers: ['R16', 'R17', 'R18'],
  check: (ctx) => {
    const reference = stringArg(ctx.doc, 'new_special_tokens_config');
    if (reference === undefined) return [];
    const file = readTokenFile(ctx, reference);
    if (!file.ok) {
      return [{
        code: 'special-tokens-config-invalid',
        severity: ERROR,
        at: 'new_special_tokens_config',
        message: t('LLaMA-Factory cannot load the special-token file: {0}.', file.why),
        onValue: true,
      }];
    }
    if (!isSet(ctx.doc, 'add_special_tokens')) return [];
    const listed = file.keys.length > 5 ? `${file.keys.slice(0, 5).join(', ')}, …` : file.keys.join(', ');
    return [{
      code: 'special-tokens-overridden',
      severity: WARNING,
      at: 'add_special_tokens',
      message: t('`add_special_tokens` is ignored: the tokens come from `new_special_tokens_config` instead ({0} tokens: {1}).', file.keys.length, listed),
      related: [{ key: 'new_special_tokens_config', message: t('this file supplies the special tokens') }],
      fixes: [{ title: t('Remove {0}', 'add_special_tokens'), ops: [{ remove: 'add_special_tokens' }], preferred: true }],
    }];
  },
});

export const initSpecialTokensFallback = defineRule({
  codes: ['init-special-tokens-fallback'],
  covers: ['R20'],
  check: (ctx) => {
    const mode = stringArg(ctx.doc, 'init_special_tokens');
    if ((mode !== 'desc_init' && mode !== 'desc_init_w_noise') || isSet(ctx.doc, 'new_special_tokens_config')) return [];
    return [{
      code: 'init-special-tokens-fallback',
      severity: WARNING,
      at: 'init_special_tokens',
      message: t('{0} needs token descriptions from `new_special_tokens_config`; without that file LLaMA-Factory uses noise_init.', show('init_special_tokens', mode)),
      onValue: true,
      fixes: [{ title: t('Set {0}: {1}', 'init_special_tokens', 'noise_init'), ops: [{ set: 'init_special_tokens', value: 'noise_init' }] }],
    }];
  },
});

export const pixelBounds = defineRule({
  codes: ['pixels-max-below-min'],
  covers: ['R21', 'R22'],
  // ModelArguments.__post_init__ refuses max < min from 0.9.3; 0.9.2 has the keys without the check.
  appliesTo: { releases: { since: '0.9.3' } },
  check: (ctx) =>
    (['image', 'video'] as const).map((kind) => {
      const maxKey = `${kind}_max_pixels`;
      const minKey = `${kind}_min_pixels`;
      const max = numberArg(ctx.doc, maxKey);
      const min = numberArg(ctx.doc, minKey);
      if (max === undefined || min === undefined || max >= min) return undefined;
      const at = has(ctx.doc, maxKey) ? maxKey : minKey;
      const other = at === maxKey ? minKey : maxKey;
      return {
        code: 'pixels-max-below-min',
        severity: ERROR,
        at: at,
        message: t('`{0}` ({1}) is below `{2}` ({3}{4}); LLaMA-Factory refuses a maximum under the minimum.', maxKey, max, minKey, min, has(ctx.doc, other) ? '' : t(', its default')),
        onValue: true,
        related: [{ key: other, message: t('the other bound of the {0} pixel range', kind) }],
      };
    }),
});

export const exportQuantizationDataset = defineRule({
  codes: ['export-quantization-dataset-missing'],
  covers: ['R23'],
  check: (ctx) => {
    if (!isSet(ctx.doc, 'export_quantization_bit') || isSet(ctx.doc, 'export_quantization_dataset')) return [];
    return [{
      code: 'export-quantization-dataset-missing',
      severity: ERROR,
      at: 'export_quantization_bit',
      message: t('Quantising the exported model needs calibration data: add `export_quantization_dataset` (for example a small JSONL file).'),
    }];
  },
});

export const ktCpuActivationWithoutKt = defineRule({
  codes: ['kt-cpu-activation-without-kt'],
  covers: ['R27'],
  check: (ctx) => {
    if (!isSet(ctx.doc, 'kt_cpu_activation') || truthy(ctx.doc, 'use_kt')) return [];
    return [{
      code: 'kt-cpu-activation-without-kt',
      severity: ERROR,
      at: 'kt_cpu_activation',
      message: t('`kt_cpu_activation` only applies to KTransformers training; LLaMA-Factory rejects it unless `use_kt: true`.'),
      related: [{ key: 'use_kt', message: t('KTransformers is off here') }],
      fixes: [{ title: t('Remove {0}', 'kt_cpu_activation'), ops: [{ remove: 'kt_cpu_activation' }], preferred: true }],
    }];
  },
});

export const modelRules = [
  modelNameRequired, commaListAsYamlList, specialTokensConfig, initSpecialTokensFallback, pixelBounds,
  exportQuantizationDataset, ktCpuActivationWithoutKt,
];
