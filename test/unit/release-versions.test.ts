// Answers follow the user's LLaMA-Factory: detection (flag, directive, setting,
// checkout, venv, conda, editable install), keys, choices, templates, YAML
// typing and repeated keys, hover, completion and the v1 format per release.
// Expected values come from the release sources (lf-versions.md and the
// vendored excerpts), not from the code under test.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { createLanguageService, defaultSettings, releaseStatus } from '../../server/src/service';
import { normalizeSettings } from '../../server/src/settings';
import type { ServiceHost, ServiceSettings } from '../../server/src/service';
import { argValue } from '../../server/src/service/values';
import { analyzeText, caret, memoryHost, repoRoot } from '../helpers';
import { rules } from '../../server/src/service/rules';
import { bundled } from '../../server/src/service/context/release/bundled';
import { extractFixture, releaseFixture } from './release-extract.test';

/** The vendored package folder of a release, as files under `to` (a package folder). */
function packageFiles(tag: string, to: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const n of readdirSync(dir)) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p, path.join(rel, n));
      else out[path.join(to, rel, n)] = readFileSync(p, 'utf8');
    }
  };
  walk(releaseFixture(tag), '');
  return out;
}

/** An in-memory host whose listings include folders, as a real file system's do (site-packages is found by listing). */
function hostWith(files: Record<string, string>, env: Record<string, string> = {}, roots: string[] = []): ServiceHost {
  const children = (dir: string): string[] => [...new Set(Object.keys(files).filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0]))];
  return { ...memoryHost(files, roots), env: (n) => env[n], listDir: (p) => children(path.resolve(p)) };
}

const msg = (d: { message: unknown } | undefined): string => (typeof d?.message === 'string' ? d.message : '');

const BASE = 'model_name_or_path: Qwen/Qwen2.5-7B-Instruct\nstage: sft\ndo_train: true\nfinetuning_type: lora\n';

function check(text: string, version: string, host?: ServiceHost, configPath?: string) {
  return analyzeText(text, { settings: { version }, host, configPath });
}

const codesOf = (r: ReturnType<typeof check>, key?: string) =>
  r.diagnostics.filter((d) => key === undefined || r.doc.text.split('\n')[d.range.start.line].startsWith(key)).map((d) => String(d.code));

describe('every key a release defines is accepted for that release (property)', () => {
  for (const tag of ['v0.9.1', 'v0.9.3', 'v0.9.5']) {
    it(tag, () => {
      const keys = Object.keys(extractFixture(tag).keys);
      const text = keys.map((k) => `${k}:`).join('\n');
      for (const [how, r] of [
        ['bundled table', check(`# llamafactory: v0\n${text}`, tag.slice(1))],
        ['own source', check(`# llamafactory: v0\n${text}`, '', hostWith(packageFiles(tag, '/w/LF/src/llamafactory')), '/w/LF/examples/c.yaml')],
      ] as const) {
        const refused = r.diagnostics.filter((d) => ['unknown-key', 'internal-key', 'v1-key-in-v0'].includes(String(d.code)));
        assert.deepEqual(refused.map((d) => d.message), [], `${tag} from the ${how}`);
        assert.equal(r.release.facts.version, tag.slice(1));
      }
    });
  }
});

describe('keys across releases', () => {
  it('a removed key names the release that removed it and the one in use', () => {
    const r = check(`${BASE}ray_run_name: x\n`, '0.9.5');
    const d = r.diagnostics.find((x) => x.code === 'unknown-key');
    assert.equal(d?.message, '`ray_run_name` was removed in LLaMA-Factory 0.9.5; this workspace uses LLaMA-Factory 0.9.5 (from llamafactory.version).');
    assert.deepEqual(codesOf(check(`${BASE}ray_run_name: x\n`, '0.9.3'), 'ray_run_name'), []);
  });

  it('a renamed key offers its new name as a quick-fix', () => {
    const r = check(`${BASE}new_special_tokens: "<a>"\n`, '0.9.3');
    const d = r.diagnostics.find((x) => x.code === 'unknown-key');
    assert.match(msg(d), /removed in LLaMA-Factory 0\.9\.3.*`add_special_tokens` or `add_tokens`/);
    const actions = r.service.codeActions(r.context, d!.range, [d!]).map((a) => a.title);
    assert.ok(actions.includes('Change to `add_special_tokens`'), actions.join(' | '));
    assert.deepEqual(codesOf(check(`${BASE}new_special_tokens: "<a>"\n`, '0.9.2'), 'new_special_tokens'), []);
  });

  it('a key newer than the release names the release that added it (and the old name)', () => {
    const liger = check(`${BASE}enable_liger_kernel: true\n`, '0.8.3').diagnostics.find((x) => x.code === 'unknown-key');
    assert.match(msg(liger), /^`enable_liger_kernel` was added in LLaMA-Factory 0\.9\.0; this workspace uses LLaMA-Factory 0\.8\.3/);
    const kv = check(`${BASE}use_kv_cache: true\n`, '0.9.3').diagnostics.find((x) => x.code === 'unknown-key');
    assert.match(msg(kv), /added in LLaMA-Factory 0\.9\.4.*`use_cache`/);
  });

  it('a key only main has is unknown to the newest release (the default without any LLaMA-Factory found)', () => {
    const r = analyzeText(`${BASE}kt_config: {}\n`, { settings: { version: '' } });
    assert.equal(r.release.source, 'bundled');
    assert.equal(r.release.facts.name, '0.9.5');
    assert.ok(codesOf(r, 'kt_config').includes('unknown-key'));
  });

  it('types come from the release: image_resolution was an integer in 0.9.1', () => {
    assert.deepEqual(codesOf(check(`${BASE}image_resolution: big\n`, '0.9.1'), 'image_resolution'), ['type-mismatch']);
  });
});

describe('choices and templates across releases', () => {
  it('flash_attn: fa3 exists from 0.9.4; off became disabled in 0.8.3', () => {
    assert.ok(codesOf(check(`${BASE}flash_attn: fa3\n`, '0.9.3'), 'flash_attn').includes('invalid-choice'));
    assert.deepEqual(codesOf(check(`${BASE}flash_attn: fa3\n`, '0.9.4'), 'flash_attn'), []);
    assert.deepEqual(codesOf(check(`${BASE}flash_attn: "off"\n`, '0.8.2'), 'flash_attn'), []);
  });

  it('quantization_method: bitsandbytes until 0.9.2, bnb from 0.9.3', () => {
    assert.deepEqual(codesOf(check(`${BASE}quantization_method: bitsandbytes\n`, '0.9.2'), 'quantization_method'), []);
    // From 0.9.3 the old word is reported as the other spelling of `bnb`, with that fix.
    const r = check(`${BASE}quantization_method: bitsandbytes\n`, '0.9.3');
    const d = r.diagnostics.find((x) => x.code === 'foreign-value');
    assert.deepEqual(r.service.codeActions(r.context, d!.range, [d!]).filter((x) => x.isPreferred).map((x) => x.title), ['Set `quantization_method` to bnb']);
  });

  it('a template removed in 0.9.5 says so; it is fine for 0.9.4', () => {
    const r = check(`${BASE}template: baichuan2\n`, '0.9.5');
    const d = r.diagnostics.find((x) => x.code === 'template-unknown');
    assert.match(msg(d), /^Template `baichuan2` was removed in LLaMA-Factory 0\.9\.5; this workspace uses LLaMA-Factory 0\.9\.5/);
    assert.ok(!codesOf(check(`${BASE}template: baichuan2\n`, '0.9.4'), 'template').includes('template-unknown'));
  });
});

describe('YAML as the release reads it', () => {
  it('PyYAML (≤ 0.9.3) reads 2e-5 as text; OmegaConf (≥ 0.9.4) as a float', () => {
    const old = check(`${BASE}learning_rate: 2e-5\n`, '0.9.3');
    const d = old.diagnostics.find((x) => x.code === 'yaml-number-as-text');
    assert.ok(d, JSON.stringify(old.diagnostics));
    assert.deepEqual(codesOf(check(`${BASE}learning_rate: 1.0e-4\n`, '0.9.3'), 'learning_rate'), []);
    assert.deepEqual(codesOf(check(`${BASE}learning_rate: 2e-5\n`, '0.9.4'), 'learning_rate'), []);
    const fix = old.service.codeActions(old.context, d!.range, [d!]).find((a) => a.isPreferred);
    assert.equal(fix?.edit?.changes?.[old.doc.uri]?.[0].newText, '0.00002');
  });

  it('a repeated key: PyYAML keeps the last value (warning), OmegaConf refuses the file (error)', () => {
    const text = `${BASE}cutoff_len: 1024\ncutoff_len: 2048\n`;
    const old = check(text, '0.9.3').diagnostics.find((x) => x.code === 'duplicate-key');
    const now = check(text, '0.9.4').diagnostics.find((x) => x.code === 'duplicate-key');
    assert.equal(old?.severity, 2);
    assert.match(msg(old), /PyYAML/);
    assert.equal(now?.severity, 1);
  });
});

describe('the v1 format per release', () => {
  const V1 = 'model: Qwen/Qwen3-4B\ntrain_dataset: data/x.json\n';
  it('does not exist before 0.9.4', () => {
    assert.deepEqual(codesOf(check(V1, '0.9.3')), ['v1-unavailable']);
  });
  it('0.9.5 does not know main-only v1 keys', () => {
    assert.deepEqual(codesOf(check(`${V1}cp_size: 1\n`, '0.9.5'), 'cp_size'), ['unknown-key']);
    assert.deepEqual(codesOf(check(`${V1}cp_size: 1\n`, 'main'), 'cp_size'), []);
  });
});

describe('hover and completion follow the release', () => {
  it('hover shows the release default (cutoff_len 1024 before 0.9.1)', () => {
    const { text, position } = caret(`${BASE}cutoff‸_len: 512\n`);
    const r = check(text, '0.9.0');
    const md = JSON.stringify(r.service.hover(r.context, position));
    assert.match(md, /Default: `1024`/);
  });

  it('completion offers the release templates and keys', () => {
    const { text, position } = caret(`${BASE}template: ‸\n`);
    const r = check(text, '0.9.5');
    assert.equal(r.service.complete(r.doc, position, '/work/project/config.yaml').length, 121);
    const keys = (version: string) => {
      const k = caret(`${BASE}‸\n`);
      const a = check(k.text, version);
      return a.service.complete(a.doc, k.position, '/work/project/config.yaml').map((i) => i.label);
    };
    assert.ok(keys('0.9.4').includes('ray_run_name'));
    assert.ok(!keys('0.9.5').includes('ray_run_name'));
  });
});

describe('defaults follow the release', () => {
  // v0.9.0 hparams/data_args.py: `cutoff_len: int = field(default=1024, ...)`; 2048 from v0.9.1.
  it('a key the YAML leaves out takes the release default (cutoff_len 1024 in 0.9.0)', () => {
    assert.equal(argValue(check(BASE, '0.9.0').context.doc, 'cutoff_len'), 1024);
    assert.equal(argValue(check(BASE, '0.9.1').context.doc, 'cutoff_len'), 2048);
    assert.equal(argValue(check(BASE, 'main').context.doc, 'cutoff_len'), 2048);
  });

  it('the memory estimate reads the release default too', () => {
    const config = `${BASE}dataset: alpaca_en_demo\nper_device_train_batch_size: 4\nbf16: true\n`;
    const gib = (text: string, version: string) => {
      const r = check(text, version);
      return r.service.estimate(r.context)?.report.allocatedGiB;
    };
    const old = gib(config, '0.9.0');
    assert.ok(old !== undefined);
    assert.equal(old, gib(`${config}cutoff_len: 1024\n`, 'main'));
    assert.notEqual(old, gib(config, 'main'));
  });

  // Up to v0.9.2 hparams/model_args.py: `quantization_method: Literal["bitsandbytes", "hqq", "eetq"] = "bitsandbytes"`;
  // v0.9.3 renamed the word to QuantizationMethod.BNB = "bnb". Rules are written in main's words.
  it('quantization rules read the old word bitsandbytes as bnb (the 0.9.2 default)', () => {
    const config = `${BASE}quantization_bit: 3\n`;
    assert.ok(codesOf(check(config, '0.9.2'), 'quantization_bit').includes('quant-bnb-bits'));
    assert.ok(codesOf(check(`${config}quantization_method: bitsandbytes\n`, '0.9.2'), 'quantization_bit').includes('quant-bnb-bits'));
    assert.ok(!codesOf(check(`${BASE}quantization_bit: 4\nquantization_method: bitsandbytes\n`, '0.9.2'), 'quantization_bit').includes('quant-method-ignored'));
    assert.ok(codesOf(check(config, '0.9.3'), 'quantization_bit').includes('quant-bnb-bits'));
  });
});

describe('rules follow the release (each on both sides of the release that added or dropped its check)', () => {
  const has = (text: string, version: string, code: string, host?: ServiceHost) => check(text, version, host).diagnostics.some((d) => d.code === code);

  it('pixels-max-below-min: ModelArguments refuses max < min from 0.9.3 (0.9.2 has the keys, not the check)', () => {
    const text = `${BASE}image_max_pixels: 100\nimage_min_pixels: 200\n`;
    assert.deepEqual([has(text, '0.9.2', 'pixels-max-below-min'), has(text, '0.9.3', 'pixels-max-below-min')], [false, true]);
  });

  it('zero3-predict-with-generate: get_train_args refuses it from 0.9.0', () => {
    const host = memoryHost({ '/work/project/ds_z3.json': '{"zero_optimization": {"stage": 3}}' });
    const text = `${BASE}deepspeed: ds_z3.json\neval_dataset: x\npredict_with_generate: true\n`;
    assert.deepEqual([has(text, '0.8.3', 'zero3-predict-with-generate', host), has(text, '0.9.0', 'zero3-predict-with-generate', host)], [false, true]);
  });

  it('train_on_prompt outside SFT: refused from 0.9.0', () => {
    const text = `${BASE.replace('stage: sft', 'stage: dpo')}train_on_prompt: true\n`;
    assert.deepEqual([has(text, '0.8.3', 'train-train-on-prompt-needs-sft'), has(text, '0.9.0', 'train-train-on-prompt-needs-sft')], [false, true]);
  });

  it('predict_with_generate without eval_dataset: its own check up to 0.9.3, part of the evaluation-data check from 0.9.4', () => {
    const split = `${BASE}val_size: 0.1\npredict_with_generate: true\n`;
    assert.deepEqual([has(split, '0.9.3', 'train-generate-needs-eval-dataset'), has(split, '0.9.4', 'train-generate-needs-eval-dataset')], [true, false]);
    const none = `${BASE}predict_with_generate: true\n`;
    assert.deepEqual([has(none, '0.9.3', 'train-eval-dataset-missing'), has(none, '0.9.4', 'train-eval-dataset-missing')], [false, true]);
  });

  it('PPO loggers: up to 0.9.4 the first report_to entry must be wandb or tensorboard; from 0.9.5 every entry, and trackio is allowed', () => {
    const ppo = `${BASE.replace('stage: sft', 'stage: ppo')}reward_model: saves/rm\n`;
    assert.deepEqual([has(`${ppo}report_to: trackio\n`, '0.9.4', 'train-ppo-report-to'), has(`${ppo}report_to: trackio\n`, '0.9.5', 'train-ppo-report-to')], [true, false]);
    assert.deepEqual([has(`${ppo}report_to: [wandb, mlflow]\n`, '0.9.4', 'train-ppo-report-to'), has(`${ppo}report_to: [wandb, mlflow]\n`, '0.9.5', 'train-ppo-report-to')], [false, true]);
  });

  it('template-missing: an error up to 0.9.1 (except pt training), a warning from 0.9.2', () => {
    const severity = (text: string, version: string) => check(text, version).diagnostics.find((d) => d.code === 'template-missing')?.severity;
    assert.deepEqual([severity(BASE, '0.9.1'), severity(BASE, '0.9.2')], [1, 2]);
    assert.equal(severity(BASE.replace('stage: sft', 'stage: pt'), '0.9.1'), 2);
  });

  it('KTransformers: the checks only main makes stay silent for 0.9.4/0.9.5; the tuning types follow the release', () => {
    const kt = `${BASE}use_kt: true\nuse_unsloth: true\n`;
    assert.deepEqual([has(kt, '0.9.5', 'kt-unsloth'), has(kt, 'main', 'kt-unsloth')], [false, true]);
    const freeze = `${BASE.replace('finetuning_type: lora', 'finetuning_type: freeze')}use_kt: true\n`;
    assert.deepEqual([has(freeze, '0.9.5', 'kt-finetuning-type'), has(freeze, 'main', 'kt-finetuning-type')], [false, true]);
    const oft = check(`${BASE.replace('finetuning_type: lora', 'finetuning_type: oft')}use_kt: true\n`, '0.9.4').diagnostics.find((d) => d.code === 'kt-finetuning-type');
    assert.match(msg(oft), /^KTransformers in LLaMA-Factory 0\.9\.4 trains LoRA adapters only/);
  });

  it('Megatron Bridge exists only in main', () => {
    const text = `${BASE.replace('finetuning_type: lora', 'finetuning_type: freeze')}use_megatron_bridge: true\n`;
    const bridge = (version: string) => check(text, version).diagnostics.some((d) => String(d.code).startsWith('megatron-bridge-'));
    assert.deepEqual([bridge('0.9.5'), bridge('main')], [false, true]);
  });

  it('a source tree whose VERSION cannot be read counts as main', () => {
    const files = packageFiles('v0.9.5', '/w/LF/src/llamafactory');
    const env = '/w/LF/src/llamafactory/extras/env.py';
    files[env] = files[env].replace(/^VERSION = .*$/m, 'VERSION = compute_version()');
    const r = createLanguageService(hostWith(files)).analyze({ uri: 'file:///w/LF/a.yaml', text: `${BASE}use_kt: true\nuse_unsloth: true\n`, configPath: '/w/LF/a.yaml' }, { ...defaultSettings, version: '' });
    assert.equal(r.release.facts.version, 'unknown');
    assert.ok(r.diagnostics.some((d) => d.code === 'kt-unsloth'));
  });

  it('every rule tied to releases names existing releases, and its page says which', () => {
    for (const rule of rules) {
      const range = rule.appliesTo.releases;
      if (!range) continue;
      for (const name of [range.since, range.until].filter((x): x is string => x !== undefined)) assert.ok(bundled.indexOf(name) >= 0, `${rule.codes[0]}: ${name}`);
      const page = readFileSync(path.join(repoRoot, 'docs', 'rules', `${rule.codes[0]}.md`), 'utf8');
      assert.match(page, /Checked only for LLaMA-Factory /, rule.codes[0]);
    }
  });
});

describe('transformers from the environment', () => {
  /** A site-packages with transformers `version` whose TrainingArguments has `keys` (a stand-in for its training_args.py). */
  const transformers = (site: string, version: string, keys: string[]): Record<string, string> => ({
    [`${site}/transformers-${version}.dist-info/METADATA`]: `Name: transformers\nVersion: ${version}\n`,
    [`${site}/transformers/training_args.py`]: `@dataclass\nclass TrainingArguments:\n${keys.map((k) => `    ${k}: int = 1\n`).join('')}`,
  });

  it('the installed version is read from its dist-info and shown beside the LLaMA-Factory folder', () => {
    const site = '/p/.venv/lib/python3.11/site-packages';
    const host = hostWith({ ...packageFiles('v0.9.3', `${site}/llamafactory`), ...transformers(site, '4.52.4', ['output_dir']) });
    const r = createLanguageService(host).analyze({ uri: 'file:///p/a.yaml', text: BASE, configPath: '/p/a.yaml' }, { ...defaultSettings, version: '' }).release;
    assert.deepEqual(r.transformers, { version: '4.52.4', path: `${site}/transformers` });
    assert.equal(releaseStatus(r).detail, `${site}/llamafactory · transformers 4.52.4`);
  });

  it('a release chosen by name is checked with the transformers of the active environment', () => {
    const host = hostWith(transformers('/envs/t/lib/python3.12/site-packages', '4.46.1', ['output_dir', 'do_train', 'only_in_this_transformers']), { VIRTUAL_ENV: '/envs/t' });
    const r = createLanguageService(host).analyze({ uri: 'file:///p/a.yaml', text: `${BASE}only_in_this_transformers: 2\n`, configPath: '/p/a.yaml' }, { ...defaultSettings, version: '0.9.1' });
    assert.deepEqual([r.release.facts.name, r.release.transformers?.version], ['0.9.1', '4.46.1']);
    assert.deepEqual(r.diagnostics.filter((d) => d.code === 'unknown-key').map((d) => d.message), []);
    assert.ok(check(`${BASE}only_in_this_transformers: 2\n`, '0.9.1').diagnostics.some((d) => d.code === 'unknown-key'));
  });

  // v0.9.4 hparams/parser.py: `if data_args.neat_packing and is_transformers_version_greater_than("4.53.0"): raise ValueError(...)`;
  // extras/packages.py compares with >=. 0.9.5 dropped the check.
  it('neat_packing with transformers 4.53 or newer stops 0.9.4 only', () => {
    const text = `${BASE}neat_packing: true\n`;
    const codeWith = (version: string, tf?: string) => {
      const host = hostWith(tf ? transformers('/e/lib/python3.11/site-packages', tf, ['output_dir']) : {}, tf ? { VIRTUAL_ENV: '/e' } : {});
      return check(text, version, host).diagnostics.find((d) => d.code === 'train-neat-packing-transformers')?.severity;
    };
    assert.deepEqual([codeWith('0.9.4', '4.52.4'), codeWith('0.9.4', '4.53.0'), codeWith('0.9.4'), codeWith('0.9.5', '4.55.0')], [undefined, 1, 2, undefined]);
  });
});

describe('llamafactory-cli on PATH', () => {
  it('is the last place looked: the environment its shebang names', () => {
    const files = {
      ...packageFiles('v0.9.1', '/opt/envs/lf/lib/python3.10/site-packages/llamafactory'),
      '/opt/envs/lf/bin/llamafactory-cli': '#!/opt/envs/lf/bin/python3.10\nimport sys\nfrom llamafactory.cli import main\n',
    };
    const r = createLanguageService(hostWith(files, { PATH: '/usr/bin:/opt/envs/lf/bin' })).analyze({ uri: 'file:///p/a.yaml', text: BASE, configPath: '/p/a.yaml' }, { ...defaultSettings, version: '' }).release;
    assert.deepEqual([r.source, r.via, r.facts.version], ['environment', 'llamafactory-cli on PATH', '0.9.1']);
    const venv = { ...files, ...packageFiles('v0.9.3', '/p/.venv/lib/python3.11/site-packages/llamafactory') };
    assert.equal(createLanguageService(hostWith(venv, { PATH: '/opt/envs/lf/bin' })).analyze({ uri: 'file:///p/a.yaml', text: BASE, configPath: '/p/a.yaml' }, { ...defaultSettings, version: '' }).release.via, '.venv');
  });

  it('a script without an absolute interpreter: the folder above its bin/', () => {
    const files = {
      ...packageFiles('v0.9.5', '/e/lib/python3.12/site-packages/llamafactory'),
      '/e/bin/llamafactory-cli': '#!/usr/bin/env python\n',
    };
    const r = createLanguageService(hostWith(files, { PATH: '/e/bin' })).analyze({ uri: 'file:///p/a.yaml', text: BASE, configPath: '/p/a.yaml' }, { ...defaultSettings, version: '' }).release;
    assert.deepEqual([r.via, r.facts.version], ['llamafactory-cli on PATH', '0.9.5']);
  });
});

describe('datasets from the checkout in use', () => {
  // LLaMA-Factory reads `<dataset_dir>/dataset_info.json` relative to where it is launched
  // (hparams/data_args.py: dataset_dir defaults to "data"); a checkout user launches from the checkout.
  const CHECKOUT = '/src/LLaMA-Factory';
  const registry = JSON.stringify({ my_set: { file_name: 'my.json' } });
  const files = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...packageFiles('v0.9.3', `${CHECKOUT}/src/llamafactory`),
    '/envs/lf/lib/python3.11/site-packages/llamafactory-0.9.3.dist-info/direct_url.json': `{"url": "file://${CHECKOUT}", "dir_info": {"editable": true}}`,
    [`${CHECKOUT}/data/dataset_info.json`]: registry,
    [`${CHECKOUT}/data/my.json`]: '[{"instruction": "a", "output": "b"}]',
    ...extra,
  });
  const analyze = (text: string, host: ServiceHost) => createLanguageService(host).analyze({ uri: 'file:///p/a.yaml', text, configPath: '/p/a.yaml' }, { ...defaultSettings, version: '' });

  it('an editable install: names are checked against the checkout\'s data/dataset_info.json, and the hover says where the entry came from', () => {
    const host = hostWith(files(), { VIRTUAL_ENV: '/envs/lf' });
    const { text, position } = caret(`${BASE}dataset: my‸_set\n`);
    const ok = analyze(text, host);
    assert.equal(ok.release.checkout, CHECKOUT);
    assert.deepEqual(ok.diagnostics.filter((d) => String(d.code).startsWith('dataset-')).map((d) => d.message), []);
    const hover = JSON.stringify(createLanguageService(host).hover(ok.context, position));
    assert.match(hover, /Entry read from `\/src\/LLaMA-Factory\/data\/dataset_info\.json` \(found from the LLaMA-Factory checkout\)/);
    const typo = analyze(`${BASE}dataset: my_sett\n`, host).diagnostics.find((d) => d.code === 'dataset-unknown');
    assert.equal(typo?.severity, 1);
    assert.match(msg(typo), /`\/src\/LLaMA-Factory\/data\/dataset_info\.json` \(resolved from the LLaMA-Factory checkout \/src\/LLaMA-Factory\)/);
  });

  it('completion offers the checkout\'s datasets', () => {
    const host = hostWith(files(), { VIRTUAL_ENV: '/envs/lf' });
    const { text, position } = caret(`${BASE}dataset: ‸\n`);
    const service = createLanguageService(host);
    const a = service.analyze({ uri: 'file:///p/a.yaml', text, configPath: '/p/a.yaml' }, { ...defaultSettings, version: '' });
    const items = service.complete(a.doc, position, '/p/a.yaml');
    assert.deepEqual(items.map((i) => [i.label, i.detail]), [['my_set', `from ${CHECKOUT}/data/dataset_info.json`]]);
  });

  it('a dataset_info.json beside the config comes first; a non-editable install has no checkout to look in', () => {
    const near = hostWith(files({ '/p/data/dataset_info.json': JSON.stringify({ other: { file_name: 'o.json' } }) }), { VIRTUAL_ENV: '/envs/lf' });
    assert.match(msg(analyze(`${BASE}dataset: my_set\n`, near).diagnostics.find((d) => d.code === 'dataset-unknown')), /`\/p\/data\/dataset_info\.json`/);
    const installed = hostWith({ ...packageFiles('v0.9.3', '/envs/lf/lib/python3.11/site-packages/llamafactory'), [`${CHECKOUT}/data/dataset_info.json`]: registry }, { VIRTUAL_ENV: '/envs/lf' });
    const r = analyze(`${BASE}dataset: my_set\n`, installed);
    assert.equal(r.release.checkout, undefined);
    assert.match(msg(r.diagnostics.find((d) => d.code === 'dataset-unknown')), /built-in|own data\/dataset_info\.json/);
  });

  it('the setting naming a checkout folder', () => {
    const host = hostWith(files());
    const r = createLanguageService(host).analyze({ uri: 'file:///p/a.yaml', text: `${BASE}dataset: my_set\n`, configPath: '/p/a.yaml' }, { ...defaultSettings, version: CHECKOUT });
    assert.deepEqual([r.release.source, r.release.checkout], ['setting', CHECKOUT]);
    assert.deepEqual(r.diagnostics.filter((d) => String(d.code).startsWith('dataset-')).map((d) => d.code), []);
  });
});

describe('finding the user\'s LLaMA-Factory', () => {
  const settings = (version = ''): ServiceSettings => ({ ...defaultSettings, version });
  const resolve = (host: ServiceHost, configPath: string, text = BASE, version = '') =>
    createLanguageService(host).analyze({ uri: `file://${configPath}`, text, configPath }, settings(version)).release;

  it('an LLaMA-Factory checkout above the config', () => {
    const r = resolve(hostWith(packageFiles('v0.9.3', '/w/LLaMA-Factory/src/llamafactory')), '/w/LLaMA-Factory/examples/train_lora/a.yaml');
    assert.deepEqual([r.source, r.facts.version, r.path, r.via], ['checkout', '0.9.3', '/w/LLaMA-Factory', 'checkout']);
  });

  it('a .venv in the project with the installed package', () => {
    const host = hostWith(packageFiles('v0.9.1', '/p/.venv/lib/python3.11/site-packages/llamafactory'));
    const r = resolve(host, '/p/configs/a.yaml');
    assert.deepEqual([r.source, r.facts.version, r.via], ['environment', '0.9.1', '.venv']);
  });

  it('VIRTUAL_ENV and CONDA_PREFIX', () => {
    const files = packageFiles('v0.9.5', '/envs/lf/lib/python3.12/site-packages/llamafactory');
    assert.equal(resolve(hostWith(files, { VIRTUAL_ENV: '/envs/lf' }), '/p/a.yaml').via, 'VIRTUAL_ENV');
    const conda = resolve(hostWith(files, { CONDA_PREFIX: '/envs/lf' }), '/p/a.yaml');
    assert.deepEqual([conda.via, conda.facts.version, conda.source], ['CONDA_PREFIX', '0.9.5', 'environment']);
  });

  it('the interpreter selected in the editor comes before VIRTUAL_ENV; the status item names it', () => {
    const files = { ...packageFiles('v0.9.1', '/sel/lib/python3.10/site-packages/llamafactory'), ...packageFiles('v0.9.5', '/venv/lib/python3.12/site-packages/llamafactory') };
    const host = hostWith(files, { VIRTUAL_ENV: '/venv' });
    const r = createLanguageService(host).analyze({ uri: 'file:///p/a.yaml', text: BASE, configPath: '/p/a.yaml' }, { ...settings(), pythonEnvironment: '/sel' }).release;
    assert.deepEqual([r.facts.version, r.via], ['0.9.1', 'selected interpreter']);
    assert.deepEqual(releaseStatus(r), { text: 'LLaMA-Factory 0.9.1 · selected interpreter', detail: '/sel/lib/python3.10/site-packages/llamafactory', warning: false });
    assert.equal(normalizeSettings({ pythonEnvironment: '/sel' }).pythonEnvironment, '/sel');
  });

  it('an editable install leads to its checkout (direct_url.json)', () => {
    const files = {
      ...packageFiles('v0.9.3', '/src/LLaMA-Factory/src/llamafactory'),
      '/envs/lf/lib/python3.11/site-packages/llamafactory-0.9.3.dist-info/direct_url.json': '{"url": "file:///src/LLaMA-Factory", "dir_info": {"editable": true}}',
      '/envs/lf/lib/python3.11/site-packages/llamafactory-0.9.3.dist-info/METADATA': 'Version: 0.9.3\n',
    };
    const r = resolve(hostWith(files, { VIRTUAL_ENV: '/envs/lf' }), '/p/a.yaml');
    assert.deepEqual([r.source, r.path, r.facts.version], ['environment', '/src/LLaMA-Factory', '0.9.3']);
  });

  it('transformers from the same environment', () => {
    const files = {
      ...packageFiles('v0.9.3', '/e/lib/python3.11/site-packages/llamafactory'),
      '/e/lib/python3.11/site-packages/transformers/training_args.py': '@dataclass\nclass TrainingArguments:\n    output_dir: str = None\n    only_here: int = 1\n',
    };
    const r = resolve(hostWith(files, { VIRTUAL_ENV: '/e' }), '/p/a.yaml');
    assert.deepEqual([...r.facts.transformersKeys].sort(), ['only_here', 'output_dir']);
  });

  it('setting, directive and flag: first match wins', () => {
    const host = hostWith(packageFiles('v0.9.3', '/w/LF/src/llamafactory'));
    assert.deepEqual([resolve(host, '/w/LF/a.yaml', BASE, '0.9.1').facts.name, resolve(host, '/w/LF/a.yaml', BASE, '0.9.1').source], ['0.9.1', 'setting']);
    assert.equal(resolve(host, '/w/LF/a.yaml', `# llamafactory-version: 0.9.0\n${BASE}`, '0.9.1').facts.name, '0.9.0');
    const flagged = createLanguageService(host).analyze({ uri: 'file:///w/LF/a.yaml', text: `# llamafactory-version: 0.9.0\n${BASE}`, configPath: '/w/LF/a.yaml' }, settings('0.9.1'), { releaseChoice: { value: '0.8.3', via: '--lf-version' } });
    assert.deepEqual([flagged.release.facts.name, flagged.release.via], ['0.8.3', '--lf-version']);
    const byPath = resolve(host, '/other/a.yaml', BASE, '/w/LF');
    assert.deepEqual([byPath.source, byPath.facts.version, byPath.path], ['setting', '0.9.3', '/w/LF']);
  });

  it('an unknown release or a folder without LLaMA-Factory warns and falls back to the newest release', () => {
    const r = analyzeText(BASE, { settings: { version: '0.7.9' } });
    const d = r.diagnostics.find((x) => x.code === 'unknown-release');
    assert.match(msg(d), /unknown LLaMA-Factory release "0\.7\.9"\. Known: 0\.8\.0, .*main; or give a folder\. Checking against LLaMA-Factory 0\.9\.5/);
    const folder = analyzeText(`# llamafactory-version: ./nowhere\n${BASE}`, { settings: { version: '' } });
    assert.match(msg(folder.diagnostics.find((x) => x.code === 'unknown-release')), /no LLaMA-Factory in \/work\/project\/nowhere \(looked for src\/llamafactory\/hparams/);
    assert.equal(folder.diagnostics.find((x) => x.code === 'unknown-release')?.range.start.line, 0);
    const service = createLanguageService(memoryHost());
    assert.match(service.checkReleaseChoice({ value: '9.9.9', via: '--lf-version' }, '/') ?? '', /unknown LLaMA-Factory release/);
    assert.equal(service.checkReleaseChoice({ value: 'v0.9.3', via: '--lf-version' }, '/'), undefined);
  });

  it('re-reads the source when one of its files changes (checked at most once a second); reading it takes well under a second', async () => {
    const files = packageFiles('v0.9.5', '/w/LF/src/llamafactory');
    const host = hostWith(files);
    const service = createLanguageService(host);
    const run = (version: number) => service.analyze({ uri: 'file:///w/LF/a.yaml', text: `${BASE}brand_new_key: 1\n`, configPath: '/w/LF/a.yaml', version }, settings());
    const started = performance.now();
    assert.ok(run(1).diagnostics.some((d) => d.code === 'unknown-key'));
    assert.ok(performance.now() - started < 1000);
    const data = '/w/LF/src/llamafactory/hparams/data_args.py';
    files[data] = files[data].replace('class DataArguments:\n', 'class DataArguments:\n    brand_new_key: int = 0\n');
    await new Promise((done) => setTimeout(done, 1100));
    assert.ok(!run(2).diagnostics.some((d) => d.code === 'unknown-key'));
  });
});
