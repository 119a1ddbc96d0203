// FSDP settings checked while transformers parses the arguments (rules.md R94-R98).
import traits from '../../facts/arg-traits.json';
import { referencedJson } from '../../context/config-files';
import { argValue, has, pyStrLower, pyTruthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING } from '../rule';
import type { AnalysisContext } from '../../context';

/** The option words transformers reads from `fsdp` (a bool true means full_shard). */
function fsdpOptions(ctx: AnalysisContext): string[] {
  const v = argValue(ctx.doc, 'fsdp');
  if (v === true) return ['full_shard'];
  if (typeof v === 'string') return v.split(/\s+/).filter((s) => s !== '');
  if (Array.isArray(v)) return v.map(String);
  return [];
}

/** fsdp_config with transformers' `fsdp_` prefix stripped from its keys. */
function fsdpConfig(ctx: AnalysisContext): Record<string, unknown> | undefined {
  const source = referencedJson(ctx, 'fsdp_config')?.value;
  if (!source) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) out[k.startsWith('fsdp_') ? k.slice(5) : k] = v;
  return out;
}

export const fsdpOptionRules = defineRule({
  codes: ['fsdp-invalid-option', 'fsdp-offload-alone', 'fsdp-conflicting-shards', 'fsdp-with-gradient-checkpointing'],
  covers: ['R94', 'R95'],
  check: (ctx) => {
      const options = fsdpOptions(ctx);
      if (options.length === 0) return [];
      const value = argValue(ctx.doc, 'fsdp');
      const unknown = typeof value === 'string' ? options.filter((o) => !traits.fsdpOptions.includes(o)) : [];
      if (unknown.length) {
        return [{ code: 'fsdp-invalid-option', severity: ERROR, at: 'fsdp', message: unknown.length > 1
            ? t('`fsdp` holds unknown options {0}; valid words are {1} (separated by spaces).', unknown.map((o) => `\`${o}\``).join(', '), traits.fsdpOptions.join(', '))
            : t('`fsdp` holds unknown option {0}; valid words are {1} (separated by spaces).', `\`${unknown[0]}\``, traits.fsdpOptions.join(', ')), onValue: true }];
      }
      const out = [];
      if (options.length === 1 && options[0] === 'offload') {
        out.push({
          code: 'fsdp-offload-alone',
          severity: ERROR,
          at: 'fsdp',
          message: t('`offload` only works together with a sharding mode, e.g. `full_shard offload`.'),
          onValue: true,
          fixes: typeof value === 'string' ? [{ title: t('Set {0}: {1}', 'fsdp', '"full_shard offload"'), ops: [{ set: 'fsdp', value: 'full_shard offload' }] }] : [],
        });
      } else if (options.includes('full_shard') && options.includes('shard_grad_op')) {
        out.push({
          code: 'fsdp-conflicting-shards',
          severity: ERROR,
          at: 'fsdp',
          message: t('`full_shard` and `shard_grad_op` are two different sharding modes; pick one.'),
          onValue: true,
        });
      }
      if ((options.includes('full_shard') || options.includes('hybrid_shard')) && pyTruthy(argValue(ctx.doc, 'gradient_checkpointing'))) {
        out.push({
          code: 'fsdp-with-gradient-checkpointing',
          severity: WARNING,
          at: 'gradient_checkpointing',
          message: t('With fully sharded FSDP, activation checkpointing belongs in `fsdp_config` (`activation_checkpointing: true`); `gradient_checkpointing` here adds redundant recomputation.'),
          related: [{ key: 'fsdp', message: t('FSDP sharding mode') }],
        });
      }
      return out;
    },
});

export const fsdpConfigRules = defineRule({
  codes: ['fsdp-config-without-fsdp', 'fsdp-config-wrap-conflict', 'fsdp-config-sync-states'],
  covers: ['R96', 'R97', 'R98'],
  check: (ctx) => {
    if (!has(ctx.doc, 'fsdp_config')) return [];
    const config = fsdpConfig(ctx);
    const enabled = fsdpOptions(ctx).length > 0;
    const related = [{ key: 'fsdp', message: t('the FSDP switch') }];
    if (!enabled) {
      const raw = argValue(ctx.doc, 'fsdp_config');
      const unused = (typeof raw === 'string' && !raw.startsWith('{'))
        || (config !== undefined && ((typeof config.min_num_params === 'number' && config.min_num_params > 0) || config.transformer_layer_cls_to_wrap != null));
      return unused ? [{
        code: 'fsdp-config-without-fsdp',
        severity: WARNING,
        at: 'fsdp_config',
        message: t('`fsdp_config` only takes effect when `fsdp` is set (e.g. `fsdp: full_shard auto_wrap`); here its wrapping settings are ignored.'),
        related,
      }] : [];
    }
    if (!config) return [];
    const out = [];
    if (typeof config.min_num_params === 'number' && config.min_num_params > 0 && config.transformer_layer_cls_to_wrap != null) {
      out.push({
        code: 'fsdp-config-wrap-conflict',
        severity: ERROR,
        at: 'fsdp_config',
        message: t('`fsdp_config` sets both `min_num_params` and `transformer_layer_cls_to_wrap`; FSDP wraps by size or by layer class, not both.'),
        related,
      });
    }
    if (pyStrLower(config.cpu_ram_efficient_loading ?? false) === 'true' && pyStrLower(config.sync_module_states ?? true) === 'false') {
      out.push({
        code: 'fsdp-config-sync-states',
        severity: ERROR,
        at: 'fsdp_config',
        message: t('`cpu_ram_efficient_loading` loads weights on one rank only, so `sync_module_states` must stay true to copy them to the others.'),
        related,
      });
    }
    return out;
  },
});

export const fsdpRules = [fsdpOptionRules, fsdpConfigRules];
