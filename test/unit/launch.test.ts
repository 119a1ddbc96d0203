// The launch context: reading command lines as bash would, every launcher form
// LLaMA-Factory documents, where the launch comes from (precedence and
// discovery, on LLaMA-Factory's own examples too), overrides, the accelerate
// config, and what the launch changes in the checks and the memory estimate.
// Expected values come from LLaMA-Factory's launcher.py / parser.py and
// accelerate's config reader, not from today's output.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { createLanguageService, defaultSettings } from '../../server/src/service';
import type { ServiceHost, ServiceSettings, TargetOptions } from '../../server/src/service';
import { parseCommand } from '../../server/src/service/context/launch/command';
import { shellCommands } from '../../server/src/service/context/launch/words';
import { parseJsonc } from '../../server/src/service/context/launch/discover';
import { estimateReport, launchLine, launchSummary } from '../../server/src/service/memory/report';
import { fsHost, memoryHost } from '../helpers';
import { corpusDir } from '../vendored';

const CONFIG = '/work/proj/configs/sft.yaml';
const YAML = 'model_name_or_path: Qwen/Qwen2.5-7B-Instruct\nstage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: alpaca_en_demo\ntemplate: qwen\noutput_dir: saves/x\nbf16: true\n';

function analyze(text: string, opts: { files?: Record<string, string>; settings?: Partial<ServiceSettings>; target?: TargetOptions; host?: ServiceHost; configPath?: string } = {}) {
  const configPath = opts.configPath ?? CONFIG;
  const host = opts.host ?? memoryHost({ [configPath]: text, ...opts.files }, ['/work/proj']);
  const service = createLanguageService(host);
  return service.analyze({ uri: `file://${configPath}`, text, configPath }, { ...defaultSettings, ...opts.settings }, opts.target);
}

const withLaunch = (launch: string, text = YAML, more: Parameters<typeof analyze>[1] = {}) => analyze(text, { ...more, target: { ...more.target, launch } });
const codes = (a: ReturnType<typeof analyze>) => a.diagnostics.map((d) => String(d.code));
const messageOf = (d: { message: string | { value: string } }) => (typeof d.message === 'string' ? d.message : d.message.value);

test('shell words: quotes, continuations, exports, comments and unknown variables', () => {
  const cmds = shellCommands([
    '#!/bin/bash',
    'export CUDA_VISIBLE_DEVICES=0,1',
    'CFG="configs/my run.yaml"  # a comment',
    "llamafactory-cli train \"$CFG\" \\",
    "    output_dir='saves/a b' lr=${LR:-1e-4} seed=$SEED; echo done",
    'x=$(date) && echo `whoami`',
  ].join('\n'));
  const train = cmds[0];
  assert.deepEqual(train.words.map((w) => w.text), ['llamafactory-cli', 'train', 'configs/my run.yaml', 'output_dir=saves/a b', 'lr=1e-4', 'seed=$SEED']);
  assert.equal(train.line, 3);
  assert.deepEqual(train.words[5].unknown, ['$SEED']);
  assert.equal(train.exported.get('CUDA_VISIBLE_DEVICES'), '0,1');
  assert.deepEqual(cmds.slice(1).map((c) => c.words[0].text), ['echo', 'echo']);
  assert.deepEqual(cmds[2].words[1].unknown, ['`whoami`']);
});

test('llamafactory-cli: environment decides torchrun, processes and nodes as launcher.py does', () => {
  const cases: [string, { gpus: number | undefined; nodes: number; distributed: boolean | undefined }][] = [
    ['llamafactory-cli train configs/sft.yaml', { gpus: undefined, nodes: 1, distributed: undefined }],
    ['CUDA_VISIBLE_DEVICES=0 llamafactory-cli train configs/sft.yaml', { gpus: 1, nodes: 1, distributed: false }],
    ['CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli train configs/sft.yaml', { gpus: 2, nodes: 1, distributed: true }],
    ['ASCEND_RT_VISIBLE_DEVICES=0,1,2,3 lmf train configs/sft.yaml', { gpus: 4, nodes: 1, distributed: true }],
    ['FORCE_TORCHRUN=1 CUDA_VISIBLE_DEVICES=0 llamafactory-cli train configs/sft.yaml', { gpus: 1, nodes: 1, distributed: true }],
    ['FORCE_TORCHRUN=1 NNODES=2 NODE_RANK=0 MASTER_ADDR=192.168.0.1 MASTER_PORT=29500 NPROC_PER_NODE=8 llamafactory-cli train configs/sft.yaml', { gpus: 16, nodes: 2, distributed: true }],
    ['USE_RAY=1 CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli train configs/sft.yaml', { gpus: undefined, nodes: 1, distributed: false }],
    ['export CUDA_VISIBLE_DEVICES=0,1,2\nllamafactory-cli train configs/sft.yaml', { gpus: 3, nodes: 1, distributed: true }],
  ];
  for (const [line, want] of cases) {
    const launch = withLaunch(line).context.launch!;
    assert.deepEqual({ gpus: launch.gpus, nodes: launch.nodes, distributed: launch.distributedLaunch }, want, line);
    assert.equal(launch.launcher, 'llamafactory-cli');
  }
});

test('torchrun, deepspeed and python forms', () => {
  const cases: [string, string, number | undefined, number][] = [
    ['torchrun --nproc_per_node 4 --nnodes 2 --node_rank 0 src/train.py configs/sft.yaml', 'torchrun', 8, 2],
    ['torchrun --nproc-per-node=2 --standalone src/train.py configs/sft.yaml', 'torchrun', 2, 1],
    ['python -m torch.distributed.run --nproc_per_node=2 src/train.py configs/sft.yaml', 'torchrun', 2, 1],
    ['CUDA_VISIBLE_DEVICES=0,1,2 torchrun src/train.py configs/sft.yaml', 'torchrun', 3, 1],
    ['deepspeed --num_gpus 8 src/train.py configs/sft.yaml', 'deepspeed', 8, 1],
    ['deepspeed --include localhost:0,1 src/train.py configs/sft.yaml', 'deepspeed', 2, 1],
    ['python src/train.py configs/sft.yaml', 'python', 1, 1],
    ['python3 -u src/train.py configs/sft.yaml', 'python', 1, 1],
  ];
  for (const [line, launcher, gpus, nodes] of cases) {
    const launch = withLaunch(line).context.launch!;
    assert.deepEqual([launch.launcher, launch.gpus, launch.nodes], [launcher, gpus, nodes], line);
  }
  // Commands that do not start training are not launches.
  for (const line of ['llamafactory-cli export configs/sft.yaml', 'python scripts/llama_pro.py --num_expand 8', 'echo hi']) {
    assert.equal(parseCommand(shellCommands(line)[0]), undefined, line);
  }
});

const FSDP_FILE = 'compute_environment: LOCAL_MACHINE\ndistributed_type: FSDP\nfsdp_config:\n  fsdp_sharding_strategy: SHARD_GRAD_OP\n  fsdp_offload_params: true\nmixed_precision: bf16\nnum_machines: 1\nnum_processes: 4\n';

test('accelerate launch: the config file, and command-line switches over it', () => {
  const files = { '/work/proj/fsdp.yaml': FSDP_FILE };
  const fromFile = withLaunch('accelerate launch --config_file fsdp.yaml src/train.py configs/sft.yaml', YAML, { files }).context.launch!;
  assert.equal(fromFile.gpus, 4);
  assert.deepEqual(fromFile.accelerate?.config.fsdp && { strategy: fromFile.accelerate.config.fsdp.strategy, offload: fromFile.accelerate.config.fsdp.offloadParams }, { strategy: 'shard_grad_op', offload: true });
  const switched = withLaunch('accelerate launch --config_file fsdp.yaml --num_processes=2 --use_deepspeed --zero_stage 3 src/train.py configs/sft.yaml', YAML, { files }).context.launch!;
  assert.equal(switched.gpus, 2);
  assert.equal(switched.accelerate?.config.distributedType, 'DEEPSPEED');
  assert.equal(switched.accelerate?.config.deepspeed?.zeroStage, 3);
  const missing = withLaunch('accelerate launch --config_file nowhere.yaml src/train.py configs/sft.yaml');
  assert.ok(codes(missing).includes('launch-accelerate-missing'));
  const broken = withLaunch('accelerate launch --config_file bad.yaml src/train.py configs/sft.yaml', YAML, { files: { '/work/proj/bad.yaml': 'num_processes: [\n' } });
  assert.ok(codes(broken).includes('launch-accelerate-invalid'));
});

test('precedence: --launch, then the directive, then the setting, then a discovered command', () => {
  const files = { '/work/proj/train.sh': 'CUDA_VISIBLE_DEVICES=0,1,2,3 llamafactory-cli train configs/sft.yaml\n' };
  const directive = `# llamafactory-launch: CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli train configs/sft.yaml\n${YAML}`;
  const setting = { launch: 'CUDA_VISIBLE_DEVICES=0,1,2 llamafactory-cli train configs/sft.yaml' };
  const source = (a: ReturnType<typeof analyze>) => [a.context.launch?.source.kind, a.context.launch?.gpus];
  assert.deepEqual(source(analyze(directive, { files, settings: setting, target: { launch: 'python src/train.py configs/sft.yaml' } })), ['cli', 1]);
  assert.deepEqual(source(analyze(directive, { files, settings: setting })), ['directive', 2]);
  assert.deepEqual(source(analyze(YAML, { files, settings: setting })), ['setting', 3]);
  const found = analyze(YAML, { files });
  assert.deepEqual(source(found), ['discovered', 4]);
  assert.equal(found.context.launch?.source.label, 'train.sh:1');
  // No launch at all: today's behaviour, said plainly.
  const none = analyze(YAML);
  assert.equal(none.context.launch, undefined);
  assert.match(launchLine(none.context), /^No launch command given or found/);
  assert.equal(launchSummary(none.context), null);
});

test('a directive that names another config is reported and its overrides are not applied', () => {
  const text = `# llamafactory-launch: CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli train configs/other.yaml learning_rate=x\n${YAML}`;
  const a = analyze(text);
  const d = a.diagnostics.find((x) => x.code === 'launch-other-config');
  assert.ok(d);
  assert.equal(d.range.start.line, 0);
  assert.equal(a.context.launch?.gpus, 2);
  assert.equal(a.context.doc.byKey.get('learning_rate'), undefined);
});

test('discovery: LLaMA-Factory\'s own train.sh and examples/README.md', () => {
  const host = fsHost([corpusDir]);
  const qlora = path.join(corpusDir, 'examples/extras/fsdp_qlora/llama3_lora_sft.yaml');
  const a = analyze(fs.readFileSync(qlora, 'utf8'), { host, configPath: qlora });
  const launch = a.context.launch!;
  assert.equal(launch.source.label, 'train.sh:4');
  assert.equal(launch.launcher, 'accelerate');
  assert.equal(launch.gpus, 2);
  assert.equal(launch.accelerate?.config.fsdp?.strategy, 'full_shard');
  assert.equal(launch.accelerate?.path, path.join(corpusDir, 'examples/accelerate/fsdp_config.yaml'));
  assert.equal(launchLine(a.context), 'Launched as: accelerate · FSDP full shard · 2 GPUs (train.sh:4)');
  assert.deepEqual(launchSummary(a.context), { command: launch.command, source: 'train.sh:4', gpus: 2, nodes: 1, distributed: 'fsdp', overrides: {} });
  // README.md: the ZeRO-3 example is launched with FORCE_TORCHRUN=1, so DeepSpeed on one GPU is fine.
  const ds3 = path.join(corpusDir, 'examples/train_lora/qwen3_lora_sft_ds3.yaml');
  const b = analyze(fs.readFileSync(ds3, 'utf8'), { host, configPath: ds3, settings: { gpu: 'rtx-4090' } });
  assert.match(b.context.launch!.source.label, /^README(_zh)?\.md:\d+$/);
  assert.equal(b.context.launch!.env.FORCE_TORCHRUN, '1');
  assert.ok(!codes(b).includes('hw-deepspeed-single-gpu'));
});

test('discovery: Makefiles, markdown blocks, launch.json and tasks.json; other configs are not matched', () => {
  const cases: Record<string, string> = {
    '/work/proj/Makefile': 'CFG = configs/sft.yaml\ntrain:\n\t@CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli train configs/sft.yaml\n',
    '/work/proj/docs/HOWTO.md': '# Run\n\n```console\n$ CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli train configs/sft.yaml\n```\n',
    '/work/proj/.vscode/launch.json': '{\n  // debug a run\n  "configurations": [\n    {"type": "debugpy", "program": "src/train.py", "args": ["configs/sft.yaml"], "env": {"CUDA_VISIBLE_DEVICES": "0,1"},},\n  ],\n}\n',
    '/work/proj/.vscode/tasks.json': '{"tasks": [{"label": "train", "type": "shell", "command": "CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli", "args": ["train", "${workspaceFolder}/configs/sft.yaml"]}]}',
  };
  const lines: Record<string, string> = { '/work/proj/Makefile': 'Makefile:3', '/work/proj/docs/HOWTO.md': 'HOWTO.md:4', '/work/proj/.vscode/launch.json': 'launch.json:4', '/work/proj/.vscode/tasks.json': 'tasks.json:1' };
  for (const [file, text] of Object.entries(cases)) {
    const launch = analyze(YAML, { files: { [file]: text } }).context.launch;
    assert.equal(launch?.source.label, lines[file], file);
    assert.equal(launch?.gpus, file.endsWith('launch.json') ? 1 : 2, file);
  }
  const other = analyze(YAML, { files: { '/work/proj/train.sh': 'llamafactory-cli train configs/dpo.yaml\nllamafactory-cli train sft.yaml\n' } });
  assert.equal(other.context.launch, undefined);
  assert.deepEqual(parseJsonc('{"a": "// not a comment", /* x */ "b": [1,],}'), { a: '// not a comment', b: [1] });
});

test('overrides merge as OmegaConf.from_cli does and their problems are reported at the launch', () => {
  const text = `# llamafactory-launch: llamafactory-cli train configs/sft.yaml learning_rate=1e-5 bf16=false num_train_epochs=2 lora_rank=abc --fp16\n${YAML}`;
  const a = analyze(text);
  const doc = a.context.doc;
  assert.equal(doc.byKey.get('learning_rate')?.value, 1e-5);
  assert.equal(doc.byKey.get('bf16')?.value, false);
  assert.equal(doc.byKey.get('num_train_epochs')?.value, 2);
  const directiveLine = 0;
  const bad = a.diagnostics.filter((d) => d.range.start.line === directiveLine).map((d) => String(d.code)).sort();
  assert.deepEqual(bad, ['launch-override-syntax', 'type-mismatch']);
  assert.match(messageOf(a.diagnostics.find((d) => d.code === 'type-mismatch')!), /override of the launch command/);
  assert.deepEqual(launchSummary(a.context)?.overrides, { learning_rate: 1e-5, bf16: false, num_train_epochs: 2, lora_rank: 'abc' });
  // Dotted keys merge into a mapping; a scalar on the way becomes one.
  const v = analyze(`# llamafactory-launch: llamafactory-cli train configs/sft.yaml fsdp_config.offload_params=true\nfsdp_config:\n  min_num_params: 5\n${YAML}`);
  assert.deepEqual(v.context.doc.byKey.get('fsdp_config')?.value, { min_num_params: 5, offload_params: true });
  // From a discovered script the message names the file and links to it.
  const s = analyze(YAML, { files: { '/work/proj/run.sh': 'llamafactory-cli train configs/sft.yaml learning_rate=abc\n' } });
  const d = s.diagnostics.find((x) => x.code === 'type-mismatch')!;
  assert.match(messageOf(d), /run\.sh:1/);
  assert.equal(d.relatedInformation?.[0].location.uri, 'file:///work/proj/run.sh');
});

test('unknown variables are reported, not guessed', () => {
  const a = withLaunch('CUDA_VISIBLE_DEVICES=$GPUS llamafactory-cli train configs/sft.yaml');
  assert.equal(a.context.launch?.gpus, undefined);
  const d = a.diagnostics.find((x) => x.code === 'launch-unknown-variable');
  assert.equal(d?.severity, DiagnosticSeverity.Information);
  assert.match(messageOf(d!), /\$GPUS/);
  assert.ok(codes(withLaunch('make train')).includes('launch-unparsed'));
});

const DS_YAML = `${YAML}deepspeed: ds.json\n`;
const DS = { '/work/proj/configs/ds.json': '{"zero_optimization": {"stage": 2}}' };

test('hw-deepspeed-single-gpu: error for a known single-process launch, gone for a distributed one', () => {
  const severity = (launch?: string) => {
    const a = analyze(DS_YAML, { files: DS, settings: { gpu: 'a100-80gb-sxm' }, ...(launch ? { target: { launch } } : {}) });
    return a.diagnostics.find((d) => d.code === 'hw-deepspeed-single-gpu')?.severity;
  };
  assert.equal(severity(), DiagnosticSeverity.Warning, 'no launch: one target GPU, FORCE_TORCHRUN unknown');
  assert.equal(severity('CUDA_VISIBLE_DEVICES=0 llamafactory-cli train configs/sft.yaml'), DiagnosticSeverity.Error);
  assert.equal(severity('python src/train.py configs/sft.yaml'), DiagnosticSeverity.Error);
  assert.equal(severity('FORCE_TORCHRUN=1 llamafactory-cli train configs/sft.yaml'), undefined);
  assert.equal(severity('CUDA_VISIBLE_DEVICES=0,1 llamafactory-cli train configs/sft.yaml'), undefined);
  assert.equal(severity('deepspeed --num_gpus 1 src/train.py configs/sft.yaml'), undefined);
  // A known single-process launch needs no target GPU to be sure.
  const noTarget = analyze(DS_YAML, { files: DS, target: { launch: 'python src/train.py configs/sft.yaml' } });
  assert.equal(noTarget.diagnostics.find((d) => d.code === 'hw-deepspeed-single-gpu')?.severity, DiagnosticSeverity.Error);
});

test('GPU count: the launch replaces a default count; a stated count wins with a warning', () => {
  const launch = 'CUDA_VISIBLE_DEVICES=0,1,2,3 llamafactory-cli train configs/sft.yaml';
  const dflt = withLaunch(launch, YAML, { settings: { gpu: 'rtx-4090' } });
  assert.equal(dflt.context.target?.count, 4);
  assert.ok(!codes(dflt).includes('launch-gpu-count-mismatch'));
  const stated = withLaunch(launch, YAML, { settings: { gpu: 'rtx-4090', gpuCount: 2 } });
  assert.equal(stated.context.target?.count, 2);
  assert.ok(codes(stated).includes('launch-gpu-count-mismatch'));
  const cli = withLaunch(launch, YAML, { settings: { gpu: 'rtx-4090', gpuCount: 1 }, target: { gpuSource: 'cli', gpuCountGiven: true } });
  assert.equal(cli.context.target?.count, 1);
  assert.ok(codes(cli).includes('launch-gpu-count-mismatch'));
  const directive = withLaunch(launch, `# llamafactory-gpu: rtx-4090 x8\n${YAML}`);
  assert.equal(directive.context.target?.count, 8);
  // No target GPU: the estimate still uses the launch's count.
  assert.equal(estimateReport(withLaunch(launch).context)?.gpus, 4);
});

test('launch rules: DeepSpeed twice, DeepSpeed with FSDP, mixed precision, python on several GPUs, spaces in overrides', () => {
  const dsAccel = { '/work/proj/ds.yaml': 'distributed_type: DEEPSPEED\ndeepspeed_config:\n  zero_stage: 3\nmixed_precision: fp16\nnum_processes: 2\n' };
  const both = withLaunch('accelerate launch --config_file ds.yaml src/train.py configs/sft.yaml', DS_YAML, { files: { ...DS, ...dsAccel } });
  assert.ok(codes(both).includes('launch-deepspeed-twice'));
  assert.equal(both.diagnostics.find((d) => d.code === 'launch-mixed-precision')?.severity, DiagnosticSeverity.Warning);
  const conflict = withLaunch('accelerate launch --config_file fsdp.yaml src/train.py configs/sft.yaml', DS_YAML, { files: { ...DS, '/work/proj/fsdp.yaml': FSDP_FILE } });
  assert.ok(codes(conflict).includes('launch-distributed-conflict'));
  const noPrecision = withLaunch('accelerate launch --config_file fsdp.yaml src/train.py configs/sft.yaml', YAML.replace('bf16: true\n', ''), { files: { '/work/proj/fsdp.yaml': FSDP_FILE } });
  assert.equal(noPrecision.diagnostics.find((d) => d.code === 'launch-mixed-precision')?.severity, DiagnosticSeverity.Information);
  assert.ok(codes(withLaunch('CUDA_VISIBLE_DEVICES=0,1 python src/train.py configs/sft.yaml')).includes('launch-python-multi-gpu'));
  assert.ok(!codes(withLaunch('CUDA_VISIBLE_DEVICES=0 python src/train.py configs/sft.yaml')).includes('launch-python-multi-gpu'));
  assert.ok(codes(withLaunch('FORCE_TORCHRUN=1 llamafactory-cli train configs/sft.yaml "run_name=my run"')).includes('launch-override-space'));
});

test('LLaMA-Factory\'s accelerate configs are clean; broken ones get diagnostics', () => {
  const dir = path.join(corpusDir, 'examples/accelerate');
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const a = analyze(fs.readFileSync(file, 'utf8'), { configPath: file, settings: { gpu: 'a100-80gb-sxm', gpuCount: 8 } });
    assert.deepEqual(a.diagnostics, [], name);
  }
  const text = 'compute_environment: LOCAL_MACHINE\ndistributed_type: FSPD\nfsdp_config:\n  fsdp_sharding_strategy: FULL\n  fsdp_ofload_params: true\nnum_processes: 8\nnum_machine: 1\n';
  const a = analyze(text, { configPath: '/work/proj/acc.yaml', settings: { gpu: 'rtx-4090', gpuCount: 4 } });
  assert.deepEqual(a.diagnostics.map((d) => `${d.range.start.line + 1}:${String(d.code)}`), [
    '2:accelerate-invalid-value', '4:accelerate-invalid-value', '5:accelerate-unknown-key', '6:accelerate-num-processes', '7:accelerate-unknown-key',
  ]);
  assert.match(messageOf(a.diagnostics[2]), /fsdp_offload_params/);
  // YAML 1.1, as accelerate's yaml.safe_load reads it: a bare NO is the boolean false, a quoted one the word.
  const bare = analyze('distributed_type: NO\nnum_processes: 1\n', { configPath: '/work/proj/acc.yaml' });
  assert.deepEqual(bare.diagnostics.map((d) => String(d.code)), ['accelerate-invalid-value']);
  assert.match(messageOf(bare.diagnostics[0]), /'NO'/);
  assert.deepEqual(analyze('distributed_type: \'NO\'\nnum_processes: 1\n', { configPath: '/work/proj/acc.yaml' }).diagnostics, []);
});

test('the estimate follows FSDP, FSDP offload and ZeRO-3 from accelerate (70B QLoRA on 2 × 24 GB)', () => {
  const yaml = `model_name_or_path: meta-llama/Meta-Llama-3-70B-Instruct\nquantization_bit: 4\nstage: sft\ndo_train: true\nfinetuning_type: lora\nlora_target: all\ndataset: alpaca_en_demo\ntemplate: llama3\ncutoff_len: 512\nper_device_train_batch_size: 1\noutput_dir: saves/x\nbf16: true\n`;
  const accel = (dir: string) => fs.readFileSync(path.join(corpusDir, 'examples/accelerate', dir), 'utf8');
  const files = {
    '/work/proj/fsdp_config.yaml': accel('fsdp_config.yaml'),
    '/work/proj/fsdp_config_offload.yaml': accel('fsdp_config_offload.yaml'),
    '/work/proj/fsdp2_config.yaml': accel('fsdp2_config.yaml'),
    '/work/proj/z3.yaml': 'distributed_type: DEEPSPEED\ndeepspeed_config:\n  zero_stage: 3\nnum_processes: 2\n',
  };
  const run = (launch?: string) => {
    const a = analyze(yaml, { files, settings: { gpu: 'rtx-4090', gpuCount: launch ? 1 : 2 }, ...(launch ? { target: { launch } } : {}) });
    const r = estimateReport(a.context)!;
    return { weights: r.breakdown.find((b) => b.name === 'weights')?.GiB ?? 0, reserved: r.reservedGiB, gpus: r.gpus, oom: codes(a).includes('memory-exceeds-gpu'), line: r.launchAssumed };
  };
  const ddp = run();
  const fsdp = run('accelerate launch --config_file fsdp_config.yaml src/train.py configs/sft.yaml');
  const offload = run('accelerate launch --config_file fsdp_config_offload.yaml src/train.py configs/sft.yaml');
  const zero3 = run('accelerate launch --config_file z3.yaml src/train.py configs/sft.yaml');
  // 70.6 B parameters in 4 bit are ~35 GiB: plain data parallelism keeps all of it on each card.
  assert.ok(ddp.weights > 30 && ddp.oom, JSON.stringify(ddp));
  for (const sharded of [fsdp, zero3]) {
    assert.equal(sharded.gpus, 2);
    assert.ok(Math.abs(sharded.weights - ddp.weights / 2) < 0.5, JSON.stringify(sharded));
  }
  // Offloaded parameters leave the GPU: the known-good 2 × 24 GB setup fits.
  assert.equal(offload.weights, 0);
  assert.ok(!offload.oom && offload.reserved < 24, JSON.stringify(offload));
  assert.equal(offload.line, 'Launched as: accelerate · FSDP full shard · 2 GPUs · params offloaded (--launch)');
  assert.match(ddp.line ?? '', /^No launch command given or found: assuming 2 GPUs/);
  // FSDP2 copies each gathered unit out of its all-gather buffer: one more decoder layer at once,
  // Llama-3-70B's 855.7 M per layer at 4 bits (0.40 GiB).
  const fsdp2 = run('accelerate launch --config_file fsdp2_config.yaml src/train.py configs/sft.yaml');
  const layerGiB = (855_654_400 * 0.5) / 2 ** 30;
  assert.ok(Math.abs(fsdp2.reserved - fsdp.reserved - layerGiB) < 0.15, `${fsdp2.reserved} - ${fsdp.reserved} vs ${layerGiB}`);
});

test('the command-line reader survives any input (bounded fuzz)', () => {
  const piece = fc.constantFrom('llamafactory-cli', 'train', 'torchrun', 'accelerate', 'launch', 'deepspeed', 'python', 'src/train.py', 'cfg.yaml', '--nproc_per_node', '--config_file', '--num_processes', '-m', 'x=1', 'a.b=[1,2]', '$X', '${Y:-', '$(', '`', '"', "'", '\\', '\\\n', '\n', ';', '&&', '|', '#', '=', 'export', 'FORCE_TORCHRUN=1', 'CUDA_VISIBLE_DEVICES=0,1', ' ');
  const line = fc.oneof(fc.array(piece, { maxLength: 30 }).map((p) => p.join(' ')), fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), fc.string({ maxLength: 200 }));
  fc.assert(
    fc.property(line, (command) => {
      const a = analyze(YAML, { target: { launch: command } });
      const launch = a.context.launch;
      assert.ok(launch === undefined || launch.gpus === undefined || (Number.isInteger(launch.gpus) && launch.gpus >= 1));
      for (const d of a.diagnostics) assert.ok(d.range.start.line >= 0);
    }),
    { seed: 20261204, numRuns: 400 },
  );
});
