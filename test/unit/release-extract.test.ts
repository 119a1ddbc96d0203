// The source extractor on vendored LLaMA-Factory excerpts (test/fixtures/lf-releases).
// Expected counts and values come from ../shared/facts/lf-versions.md (measured with
// Python's own `ast` module) and from reading the release sources, not from this code.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { extractSource, extractTransformersKeys, modulePath, templateNames } from '../../server/src/service/context/release/extract';
import type { SourceFacts, SourceReader } from '../../server/src/service/context/release/extract';
import { literal, logicalLines, parseExpr } from '../../server/src/service/context/release/python-source';
import { readModule } from '../../server/src/service/context/release/dataclasses';
import { fixturesDir } from '../helpers';
import { sourceCheckoutDir } from '../vendored';

export function fixtureReader(pkg: string): SourceReader {
  return {
    read: (rel) => {
      try {
        return readFileSync(path.join(pkg, rel), 'utf8');
      } catch {
        return undefined;
      }
    },
    list: (rel) => {
      try {
        return readdirSync(path.join(pkg, rel));
      } catch {
        return [];
      }
    },
  };
}

export const releaseFixture = (tag: string): string => path.join(fixturesDir, 'lf-releases', tag, 'src', 'llamafactory');
const extracted = new Map<string, SourceFacts>();
export function extractFixture(tag: string): SourceFacts {
  let f = extracted.get(tag);
  if (!f) extracted.set(tag, (f = extractSource(fixtureReader(releaseFixture(tag)))));
  return f;
}

const count = (f: SourceFacts, command?: string): number => Object.values(f.keys).filter((k) => !command || k.commands.includes(command as never)).length;

describe('extracting LLaMA-Factory sources', () => {
  // lf-versions.md §1: "train (LF)" and "all LF" per release.
  for (const [tag, all, train, yaml] of [['v0.9.1', 154, 146, 'pyyaml'], ['v0.9.3', 203, 195, 'pyyaml'], ['v0.9.5', 237, 229, 'omegaconf']] as const) {
    it(`${tag}: ${all} keys (${train} for train), YAML through ${yaml}`, () => {
      const f = extractFixture(tag);
      assert.equal(count(f), all);
      assert.equal(count(f, 'train'), train);
      assert.equal(f.yaml, yaml);
      assert.equal(f.version, tag.slice(1));
      assert.equal(f.transformersTrain, true);
    });
  }

  it('reads Optional[X] (0.9.1) and X | None (0.9.5) alike', () => {
    assert.deepEqual(extractFixture('v0.9.1').keys.template.types.sort(), ['null', 'string']);
    assert.deepEqual(extractFixture('v0.9.5').keys.template.types.sort(), ['null', 'string']);
  });

  it('drops init=False fields (compute_dtype, device_map, model_max_length, block_diag_attn)', () => {
    for (const key of ['compute_dtype', 'device_map', 'model_max_length', 'block_diag_attn']) assert.equal(extractFixture('v0.9.5').keys[key], undefined, key);
  });

  it('follows mixin bases: ModelArguments gets its quantization and export fields', () => {
    const k = extractFixture('v0.9.3').keys;
    assert.equal(k.quantization_bit.cls, 'QuantizationArguments');
    assert.equal(k.export_dir.cls, 'ExportArguments');
  });

  it('reads defaults: literals, Enum members and a*b', () => {
    const k = extractFixture('v0.9.3').keys;
    assert.equal(k.flash_attn.default, 'auto'); // AttentionFunction.AUTO in extras/constants.py
    assert.equal(k.image_max_pixels.default, 768 * 768);
    assert.equal(k.vllm_gpu_util.default, 0.7); // 0.9 → 0.7 in v0.9.3 (lf-versions.md)
    assert.equal(k.cutoff_len.default, 2048);
    assert.equal(extractFixture('v0.9.1').keys.vllm_gpu_util.default, 0.9);
  });

  it('reads choices from Literal[...] and from Enum classes', () => {
    assert.deepEqual(extractFixture('v0.9.1').keys.quantization_method.choices, ['bitsandbytes', 'hqq', 'eetq']);
    assert.ok(extractFixture('v0.9.3').keys.quantization_method.choices?.includes('bnb'));
    assert.deepEqual(extractFixture('v0.9.5').keys.flash_attn.choices, ['auto', 'disabled', 'sdpa', 'fa2', 'fa3']);
    assert.ok(!extractFixture('v0.9.3').keys.finetuning_type.choices?.includes('oft'));
    assert.ok(extractFixture('v0.9.5').keys.finetuning_type.choices?.includes('oft'));
  });

  it('joins implicitly concatenated help strings', () => {
    const help = extractFixture('v0.9.5').keys.vllm_config?.help ?? '';
    assert.ok(help.length > 20 && !help.includes('" "'), help);
  });

  it('sees the renames between releases', () => {
    const [a, b, c] = ['v0.9.1', 'v0.9.3', 'v0.9.5'].map((t) => extractFixture(t).keys);
    assert.ok(a.new_special_tokens && !b.new_special_tokens && b.add_special_tokens);
    assert.ok(a.image_resolution && !b.image_resolution && b.image_max_pixels);
    assert.ok(b.use_cache && !c.use_cache && c.use_kv_cache);
    assert.ok(b.ray_run_name && !c.ray_run_name);
  });

  it('reads the transformers pin and the template names of the excerpts', () => {
    assert.deepEqual(extractFixture('v0.9.3').transformersPin, { min: '4.45.0', max: '4.52.4' });
    assert.deepEqual(extractFixture('v0.9.1').templates, ['alpaca', 'aquila', 'atom']);
    assert.deepEqual(templateNames('register_template(\n    name="a",\n)\n"""register_template(name="doc")"""\n_register_template(name = "b")'), ['a', 'b']);
  });

  it('reads transformers TrainingArguments + Seq2SeqTrainingArguments without init=False fields', () => {
    const files: Record<string, string> = {
      'training_args.py': '@dataclass\nclass TrainingArguments:\n    """Doc."""\n\n    output_dir: Optional[str] = field(default=None, metadata={"help": (\n        "a" "b")})\n    learning_rate: float = 5e-5\n    _n_gpu: int = field(init=False, repr=False, default=-1)\n\n    def __post_init__(self):\n        x: int = 1\n',
      'training_args_seq2seq.py': 'from .training_args import TrainingArguments\n\n@dataclass\n@add_start_docstrings(TrainingArguments.__doc__)\nclass Seq2SeqTrainingArguments(TrainingArguments):\n    predict_with_generate: bool = field(default=False)\n',
    };
    assert.deepEqual(extractTransformersKeys({ read: (f) => files[f], list: () => [] }), ['learning_rate', 'output_dir', 'predict_with_generate']);
  });

  it('resolves relative and absolute module paths inside the package', () => {
    assert.equal(modulePath('hparams/model_args.py', '..extras.constants'), 'extras/constants');
    assert.equal(modulePath('hparams/parser.py', '.data_args'), 'hparams/data_args');
    assert.equal(modulePath('hparams/parser.py', 'llamafactory.extras.misc'), 'extras/misc');
    assert.equal(modulePath('hparams/parser.py', 'transformers'), undefined);
  });

  it('tokenizes backslash continuations, comments and bracketed multi-line values', () => {
    const lines = logicalLines('a = 1 + \\\n    2  # two\nb = [\n  "x",  # c\n  "y"\n]\n');
    assert.equal(lines.length, 2);
    assert.equal(literal(parseExpr(lines[0].tokens, 2)[0]), 3);
    assert.deepEqual(literal(parseExpr(lines[1].tokens, 2)[0]), ['x', 'y']);
  });

  it('reads a whole source tree: the vendored checkout of main has 268 keys, 124 templates and 48 v1 keys', () => {
    const main = extractSource(fixtureReader(path.join(sourceCheckoutDir, 'src', 'llamafactory')));
    assert.equal(main.version, '0.9.6.dev0');
    assert.equal(count(main), 268);
    assert.equal(main.templates.length, 124);
    assert.equal(main.v1Keys.length, 48);
  });

  it('a module read for its classes alone has the classes and imports it has when read whole', () => {
    const text = readFileSync(path.join(sourceCheckoutDir, 'src', 'llamafactory', 'extras', 'constants.py'), 'utf8');
    const whole = readModule(text);
    const classes = readModule(text, true);
    assert.ok(whole.classes.size >= 5, 'constants.py defines the Enum classes');
    assert.deepEqual(classes.classes, whole.classes);
    assert.deepEqual(classes.imports, whole.imports);
    assert.equal(classes.assignments.size, 0);
    assert.ok(classes.lines.length < whole.lines.length / 4, 'the register_model_group calls are scanned, not tokenized');
  });

  it('never throws on broken Python', () => {
    for (const src of ['@dataclass\nclass A(:\n  x: = field(', 'class', '"""unterminated', 'x: Literal[', '@dataclass\nclass B:\n    y: int = field(default=)\n']) {
      assert.doesNotThrow(() => extractSource({ read: (f) => (f === 'hparams/parser.py' ? `${src}\n_TRAIN_ARGS = [A, B]` : undefined), list: () => ['parser.py'] }));
    }
  });
});
