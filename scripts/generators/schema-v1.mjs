// JSON Schema of LLaMA-Factory's v1 config format. The top-level keys, their
// types and defaults are read from the tables of vendor/facts/v1-format.md;
// the plugin blocks (`*_config` mappings selected by `name`) are described in
// that file's prose, so their sub-keys are written out below as data. Our own
// descriptions live in schemas/src/descriptions-v1.en.json (dotted names for
// plugin sub-keys); the facts line (type, default, choices) is appended here.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonText } from '../lib/facts.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Types written in the facts' tables → JSON Schema types. */
const TYPE_WORDS = { str: 'string', int: 'integer', float: 'number', bool: 'boolean', enum: 'string' };

/** Top-level keys whose accepted values are only given in prose. */
const EXTRA_CHOICES = { cp_mode: ['ulysses'] };

/** Defaults the tables describe rather than state (a random folder name made at import time). */
const COMPUTED_DEFAULTS = new Set(['output_dir']);

const STRINGS = ['string', 'array', 'null'];
const sub = (type, extra = {}) => ({ type, ...extra });

const FSDP2 = {
  reshard_after_forward: sub('boolean', { default: true }),
  offload_params: sub('boolean', { default: false }),
  pin_memory: sub('boolean', { default: true }),
  dcp_path: sub(['string', 'null'], { default: null }),
};

/**
 * Plugin blocks. `names`: the registered names; `commaSeparated`: `name` lists
 * several; `strict`: unknown sub-keys are refused; `common`: sub-keys read for
 * every name; `byName`: sub-keys of one name; `requiredByName`: sub-keys a name needs.
 */
const PLUGINS = {
  init_config: { names: ['init_on_meta', 'init_on_rank0', 'init_on_default'] },
  peft_config: {
    names: ['lora', 'freeze'],
    strict: true,
    byName: {
      lora: {
        r: sub('integer', { default: 8 }),
        lora_alpha: sub('integer', { default: 16 }),
        lora_dropout: sub('number', { default: 0.05 }),
        target_modules: sub(['string', 'array'], { default: 'all' }),
        use_rslora: sub('boolean', { default: false }),
        use_dora: sub('boolean', { default: false }),
        modules_to_save: sub(STRINGS, { default: null }),
        adapter_name_or_path: sub(STRINGS, { default: null }),
        export_dir: sub(['string', 'null'], { default: null }),
        export_size: sub('integer', { default: 5 }),
        export_hub_model_id: sub(['string', 'null'], { default: null }),
        infer_dtype: sub('string', { default: 'auto', enum: ['auto', 'float16', 'float32', 'bfloat16'] }),
        export_legacy_format: sub('boolean', { default: false }),
      },
      freeze: {
        freeze_trainable_layers: sub('integer', { default: 2 }),
        freeze_trainable_modules: sub(['string', 'array'], { default: 'all' }),
        freeze_extra_modules: sub(STRINGS, { default: null }),
        cast_trainable_params_to_fp32: sub('boolean', { default: true }),
      },
    },
  },
  kernel_config: {
    names: ['auto', 'liger_kernel', 'flash-linear-attention', 'cuda_fused_moe', 'npu_fused_moe', 'npu_fused_rmsnorm', 'npu_fused_rope', 'npu_fused_swiglu'],
    commaSeparated: true,
    common: {
      include_kernels: sub(['string', 'array'], { default: 'auto' }),
      chunk_size: sub('integer', { enum: [16, 32, 64] }),
    },
  },
  quant_config: {
    names: ['auto', 'bnb'],
    strict: true,
    common: {
      quantization_bit: sub('integer', { enum: [4, 8] }),
      compute_dtype: sub('string', { default: 'float16' }),
      double_quantization: sub('boolean', { default: true }),
      quantization_type: sub('string', { default: 'nf4' }),
    },
  },
  dist_config: {
    names: ['fsdp2', 'fsdpturbo', 'deepspeed'],
    strict: true,
    byName: {
      fsdp2: FSDP2,
      fsdpturbo: {
        ...FSDP2,
        ep_size: sub('integer', { minimum: 1 }),
        ep_dispatcher: sub('string', { default: 'eager' }),
        fsdp_ignored_modules: sub(STRINGS, { default: null }),
        hook_modules: sub(STRINGS, { default: null }),
        fsdp_implementation: sub('string', { default: 'native' }),
      },
      deepspeed: { config_file: sub('string') },
    },
    requiredByName: { deepspeed: ['config_file'] },
  },
  optim_config: {
    names: ['muon'],
    common: {
      lr: sub('number'),
      wd: sub('number'),
      momentum: sub('number'),
      nesterov: sub('boolean'),
      ns_steps: sub('integer'),
      adamw_betas: sub('array', { items: { type: 'number' } }),
      adamw_eps: sub('number'),
    },
  },
  lr_scheduler_config: { names: [] },
};

function loadDescriptions() {
  const p = join(root, 'schemas/src/descriptions-v1.en.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : {};
}

/** The rows of the key tables in the "Keys" section, each with the table (group) it sits in. */
function tableRows(markdown) {
  const section = markdown.split(/^## Keys/m)[1].split(/^### Plugin blocks/m)[0];
  const rows = [];
  let group = 'model';
  for (const line of section.split('\n')) {
    const heading = /^(Model|Data|Training|Sampling) \(/.exec(line);
    if (heading) group = heading[1].toLowerCase();
    if (!line.startsWith('|') || /^\|\s*-/.test(line) || /^\|\s*key\s*\|/.test(line)) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const keys = cells[0].split(' / ');
    const defaults = cells[2].split(' / ');
    keys.forEach((k, i) => rows.push({ key: k, group, type: cells[1], default: defaults[keys.length > 1 ? i : 0], notes: cells[3] ?? '' }));
  }
  return rows;
}

function parseDefault(text) {
  const t = text.replace(/\*\*/g, '').replace(/`/g, '').trim();
  if (t === 'null') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  return t;
}

function parseType(text) {
  const words = text.split(' or ').map((w) => w.trim());
  const types = words.map((w) => (w === 'null' ? 'null' : TYPE_WORDS[w]));
  if (types.some((t) => t === undefined)) throw new Error(`v1-format.md: unknown type "${text}"`);
  return types.length === 1 ? types[0] : types;
}

/** The allowed values of an enum row: the backticked words before the first remark. */
function enumChoices(notes) {
  const head = notes.split(/[(;]/)[0];
  return [...head.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

function show(v) {
  return v === null ? '`null`' : `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
}

function factsLine(prop) {
  const type = Array.isArray(prop.type) ? prop.type.join(' | ') : prop.type;
  const parts = [`Type: \`${type}\``];
  if ('default' in prop) parts.push(`Default: ${show(prop.default)}`);
  const choices = prop.enum ?? prop['x-llamafactory']?.choices;
  if (choices) parts.push(`Choices: ${choices.map(show).join(', ')}`);
  return parts.join(' · ');
}

function describe(prop, own) {
  prop.markdownDescription = [own, factsLine(prop)].filter(Boolean).join('\n\n');
  return prop;
}

function describedSubKeys(plugin, keys, descriptions) {
  const out = {};
  for (const [k, s] of Object.entries(keys)) out[k] = describe({ ...s }, descriptions[`${plugin}.${k}`]);
  return out;
}

function nameSchema(plugin, spec, descriptions) {
  const own = descriptions[`${plugin}.name`];
  if (spec.commaSeparated) {
    // Several kernel ids joined by commas (spaces allowed around them).
    const id = `(?:${spec.names.map((n) => n.replace(/[.]/g, '\\$&')).join('|')})`;
    return describe({ type: 'string', pattern: `^\\s*${id}(?:\\s*,\\s*${id})*\\s*$`, 'x-llamafactory': { commaSeparated: true, choices: spec.names } }, own);
  }
  return describe(spec.names.length ? { type: 'string', enum: spec.names } : { type: 'string' }, own);
}

function pluginSchema(plugin, spec, meta, descriptions) {
  const common = describedSubKeys(plugin, spec.common ?? {}, descriptions);
  const names = spec.names.length ? ` · Names: ${spec.names.map(show).join(', ')}` : '';
  const prop = {
    type: ['object', 'string', 'null'],
    markdownDescription: [descriptions[plugin], `Type: mapping with \`name\` (or a JSON string) · Default: \`null\`${names}`].filter(Boolean).join('\n\n'),
    default: null,
    // The JSON-string form of a block (`'{"name": ...}'`) is parsed by LLaMA-Factory too.
    pattern: '^\\s*\\{',
    required: ['name'],
    properties: { name: nameSchema(plugin, spec, descriptions), ...common },
  };
  const branches = Object.entries(spec.byName ?? {}).map(([name, keys]) => {
    const then = { properties: { name: true, ...common, ...describedSubKeys(plugin, keys, descriptions) } };
    if (spec.strict) then.additionalProperties = false;
    if (spec.requiredByName?.[name]) then.required = spec.requiredByName[name];
    return { if: { properties: { name: { const: name } }, required: ['name'] }, then };
  });
  if (branches.length) prop.allOf = branches;
  else if (spec.strict) prop.additionalProperties = false;
  prop['x-llamafactory'] = { ...meta, plugin: true };
  return prop;
}

export function generate(factsDir) {
  const markdown = readFileSync(join(factsDir, 'v1-format.md'), 'utf8');
  const descriptions = loadDescriptions();
  const rows = tableRows(markdown);
  // The facts announce their key count in the heading "## Keys (N)": every row must be read.
  const announced = Number(/^## Keys \((\d+)\)/m.exec(markdown)?.[1]);
  if (rows.length !== announced) throw new Error(`v1-format.md: its heading announces ${announced} keys, read ${rows.length}`);
  const properties = {};
  for (const row of rows) {
    const meta = { group: row.group };
    if (row.type === 'plugin') {
      const spec = PLUGINS[row.key];
      if (!spec) throw new Error(`no plugin description for ${row.key}`);
      properties[row.key] = pluginSchema(row.key, spec, meta, descriptions);
      continue;
    }
    const prop = { type: parseType(row.type) };
    prop.default = COMPUTED_DEFAULTS.has(row.key) ? null : parseDefault(row.default);
    // A float field whose default is None (ld_alpha) also takes null.
    if (prop.default === null && !COMPUTED_DEFAULTS.has(row.key) && ![prop.type].flat().includes('null')) prop.type = [prop.type, 'null'].flat();
    const choices = row.type === 'enum' ? enumChoices(row.notes) : EXTRA_CHOICES[row.key];
    if (choices) prop.enum = choices;
    prop['x-llamafactory'] = meta;
    properties[row.key] = describe(prop, descriptions[row.key]);
  }
  for (const name of Object.keys(PLUGINS)) if (!properties[name]) throw new Error(`v1-format.md no longer lists ${name}`);
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/llamafactory-config-tools/schemas/llamafactory-v1.schema.json',
    title: 'LLaMA-Factory training config (v1, USE_V1=1)',
    type: 'object',
    properties,
    additionalProperties: false,
  };
  return { 'schemas/llamafactory-v1.schema.json': jsonText(schema) };
}
