// llamafactory-lint in CI and pre-commit: SARIF and GitHub output, thresholds,
// folders, globs and standard input, the project config, --fix, and the
// listing commands. Runs the built bundle as users do.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { allCodes, codeDocUrl } from '../../server/src/service';
import gpus from '../../server/src/service/facts/gpus.json';
import { repoRoot } from '../helpers';

const cli = path.join(repoRoot, 'server/out/cli.js');
const broken = 'examples/broken-v100.yaml';
const good = 'examples/qwen2.5-7b-lora-sft.yaml';

function lint(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: opts.cwd ?? repoRoot, input: opts.input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'lint-ci-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

// The example without its `# llamafactory-gpu:` comment, so that the settings choose the GPU.
const CONFIG = fs.readFileSync(path.join(repoRoot, good), 'utf8').replace(/^# llamafactory-gpu:.*\n/m, '');
const TYPO = 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\ndataset: alpaca_en_demo\ntemplate: qwen\nfinetuning_type: lora\noutput_dir: out\nreport_to: none\n# keep this comment\nlora_rnak: 8\nfp16: "true"\nbf16: true\n';

test('SARIF 2.1.0: rules with the page URI, results with ruleId, level and a 1-based region', () => {
  const r = lint(['--format', 'sarif', broken]);
  assert.equal(r.status, 1);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'llamafactory-lint');
  const rules = run.tool.driver.rules as { id: string; helpUri: string }[];
  for (const rule of rules) assert.equal(rule.helpUri, codeDocUrl(rule.id));
  // The typo'd key on line 10 of the example (the text format's contract says 10:1).
  const typo = run.results.find((x: { ruleId: string }) => x.ruleId === 'unknown-key');
  assert.equal(typo.level, 'error');
  assert.equal(rules[typo.ruleIndex].id, 'unknown-key');
  assert.deepEqual(typo.locations[0].physicalLocation.artifactLocation, { uri: broken });
  assert.deepEqual(typo.locations[0].physicalLocation.region, { startLine: 10, startColumn: 1, endLine: 10, endColumn: 28 });
  const levels = new Set(run.results.map((x: { level: string }) => x.level));
  assert.ok([...levels].every((l) => ['error', 'warning', 'note'].includes(l as string)));
  assert.ok(levels.has('note'), 'information becomes note');
});

test('GitHub format: one workflow command per diagnostic; information is a notice', () => {
  const r = lint(['--format', 'github', broken]);
  assert.equal(r.status, 1);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.includes(`::error file=${broken},line=10,col=1,endLine=10,endColumn=28,title=unknown-key::LLaMA-Factory does not know the key \`per_device_train_bacth_size\` and will stop before training. Did you mean \`per_device_train_batch_size\`?`));
  assert.ok(lines.some((l) => l.startsWith('::notice ') && l.includes('title=report-to-default')));
  for (const l of lines) assert.match(l, /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z0-9-]+::\S/);
});

test('--quiet reports errors only, in text and in JSON', () => {
  const text = lint(['--quiet', broken]);
  assert.equal(text.status, 1);
  assert.ok(text.stdout.trim().split('\n').every((l) => / error /.test(l)));
  const json = JSON.parse(lint(['--quiet', '--format', 'json', broken]).stdout);
  assert.ok(json[0].diagnostics.length > 0);
  assert.ok(json[0].diagnostics.every((d: { severity: string }) => d.severity === 'error'));
});

test('a predicted out-of-memory fails CI with --max-warnings 0 or with its severity raised to error', () => {
  // The example needs about 20 GiB; an RTX 3080 has 10.
  const warn = lint(['--gpu', 'rtx-3080', good]);
  assert.equal(warn.status, 0, 'a warning alone passes');
  assert.match(warn.stdout, / warning memory-exceeds-gpu /);
  const capped = lint(['--gpu', 'rtx-3080', '--max-warnings', '0', good]);
  assert.equal(capped.status, 1);
  assert.match(capped.stderr, /more than --max-warnings 0/);
  assert.equal(lint(['--gpu', 'rtx-3080', '--max-warnings', '5', good]).status, 0);
  const raised = lint(['--gpu', 'rtx-3080', '--rule', 'memory-exceeds-gpu=error', good]);
  assert.equal(raised.status, 1);
  assert.match(raised.stdout, / error memory-exceeds-gpu /);
  assert.equal(lint(['--rule', 'no-such-code=error', good]).status, 2);
  assert.equal(lint(['--rule', 'memory-exceeds-gpu=loud', good]).status, 2);
});

test('an unknown --gpu exits 2 with the closest ids; --list-gpus lists the catalog', () => {
  const r = lint(['--gpu', 'mi3000x', good]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown GPU "mi3000x"\. Did you mean mi300x\b/);
  const list = lint(['--list-gpus']);
  assert.equal(list.status, 0);
  assert.equal(list.stdout.trim().split('\n').length, gpus.length);
  assert.match(list.stdout, /^a100-80gb-sxm\s+80 GiB {2}NVIDIA A100 80GB SXM4$/m);
  const json = JSON.parse(lint(['--list-gpus', '--format', 'json']).stdout);
  assert.deepEqual(json.map((g: { id: string }) => g.id), gpus.map((g: { id: string }) => g.id));
});

test('--list-rules lists every code; --explain prints its page; an unknown code exits 2', () => {
  const list = JSON.parse(lint(['--list-rules', '--format', 'json']).stdout) as { code: string; url: string }[];
  assert.deepEqual(list.map((x) => x.code), [...allCodes()]);
  for (const x of list) assert.equal(x.url, codeDocUrl(x.code));
  const page = lint(['--explain', 'unknown-key']);
  assert.equal(page.status, 0);
  assert.equal(page.stdout, fs.readFileSync(path.join(repoRoot, 'docs/rules/unknown-key.md'), 'utf8'));
  const bad = lint(['--explain', 'unknown-kye']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /`unknown-key`/);
});

test('a folder is searched: configs are reported, other YAML, node_modules and .gitignored folders stay silent', () => {
  const dir = tempDir({
    '.gitignore': 'ignored/\n',
    'train/a.yaml': TYPO,
    'train/deep/b.yml': TYPO,
    'ci/workflow.yaml': 'on: push\njobs: {}\n',
    'node_modules/pkg/c.yaml': TYPO,
    'ignored/d.yaml': TYPO,
    'notes.txt': TYPO,
  });
  fs.mkdirSync(path.join(dir, '.git'));
  try {
    const r = lint(['--format', 'json', '.'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.deepEqual(JSON.parse(r.stdout).map((f: { file: string }) => f.file), ['train/a.yaml', 'train/deep/b.yml']);
    // A glob, quoted so the shell leaves it alone.
    const g = lint(['--format', 'json', 'train/**/*.yml'], { cwd: dir });
    assert.deepEqual(JSON.parse(g.stdout).map((f: { file: string }) => f.file), ['train/deep/b.yml']);
    const none = lint(['nothing/*.yaml'], { cwd: dir });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no files match nothing\/\*\.yaml/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('standard input with --stdin-filename: reported under that name, settings found from its folder', () => {
  const dir = tempDir({ 'proj/.llamafactory-lint.yaml': 'rules:\n  unknown-key: off\n' });
  try {
    const plain = lint(['-'], { input: TYPO });
    assert.equal(plain.status, 1);
    assert.match(plain.stdout, /^<stdin>:10:1 error unknown-key /m);
    const named = lint(['--stdin-filename', 'proj/train.yaml', '-'], { cwd: dir, input: TYPO });
    assert.ok(named.stdout.includes('proj/train.yaml:'), named.stdout);
    assert.ok(!named.stdout.includes('unknown-key'), 'the project config under proj/ turned unknown-key off');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the project config: .llamafactory-lint.yaml or pyproject.toml, nearest wins, flags win over it', () => {
  const dir = tempDir({
    '.llamafactory-lint.yaml': 'gpu: rtx-3080\nrules:\n  memory-exceeds-gpu: error\nexclude: [legacy]\n',
    'a.yaml': CONFIG,
    'legacy/b.yaml': TYPO,
    'big/pyproject.toml': '[project]\nname = "x"\n\n[tool.llamafactory-lint]\ngpu = "a100-80gb-sxm"\n',
    'big/c.yaml': CONFIG,
  });
  try {
    const r = lint(['a.yaml', 'legacy/b.yaml', 'big/c.yaml'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^a\.yaml:\d+:\d+ error memory-exceeds-gpu /m);
    assert.ok(!r.stdout.includes('legacy/b.yaml'), 'excluded');
    assert.ok(!/^big\/c\.yaml:\S+ \w+ memory-exceeds-gpu/m.test(r.stdout), 'the nearer pyproject.toml targets an A100 80GB, where it fits');
    assert.equal(lint(['--gpu', 'a100-80gb-sxm', 'a.yaml'], { cwd: dir }).status, 0, '--gpu wins over the config');
    assert.equal(lint(['--rule', 'memory-exceeds-gpu=warning', 'a.yaml'], { cwd: dir }).status, 0, '--rule wins over the config');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad project config exits 2 and names the file and line', () => {
  const dir = tempDir({ '.llamafactory-lint.yaml': 'rules:\n  unknown-key: fatal\ngpu: potato-9000\n', 'a.yaml': CONFIG, 'b.yaml': CONFIG });
  try {
    const r = lint(['a.yaml', 'b.yaml'], { cwd: dir });
    assert.equal(r.status, 2);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('llamafactory-lint: checked against '));
    assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 3).join(' ')), ['.llamafactory-lint.yaml:2:16 error config-invalid', '.llamafactory-lint.yaml:3:6 error config-invalid'], 'reported once for both files');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--fix applies only safe fixes, keeps comments, and reports what it changed; --unsafe applies the rest', () => {
  const dir = tempDir({ 'a.yaml': TYPO });
  const file = path.join(dir, 'a.yaml');
  try {
    const r = lint(['--fix', '--format', 'json', 'a.yaml'], { cwd: dir });
    const fixedText = fs.readFileSync(file, 'utf8');
    assert.ok(fixedText.includes('lora_rank: 8'), fixedText);
    assert.ok(fixedText.includes('fp16: true\n'), 'the quoted boolean is unquoted');
    assert.ok(fixedText.includes('# keep this comment'));
    assert.ok(fixedText.includes('bf16: true'), 'the fp16/bf16 conflict needs a judgement: not a safe fix');
    const [report] = JSON.parse(r.stdout);
    assert.deepEqual([...report.fixed].sort(), ['string-boolean', 'unknown-key']);
    assert.ok(report.diagnostics.some((d: { code: string }) => d.code === 'conflict-fp16-bf16'));
    assert.equal(r.status, 1);
    const text = lint(['--fix', 'a.yaml'], { cwd: dir });
    const notes = text.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('llamafactory-lint: checked against '));
    assert.deepEqual(notes, [], 'nothing left to fix safely, nothing reported');
    const unsafe = lint(['--fix', '--unsafe', 'a.yaml'], { cwd: dir });
    assert.match(unsafe.stderr, /a\.yaml: fixed 1 problem\(s\): conflict-fp16-bf16/);
    assert.equal((fs.readFileSync(file, 'utf8').match(/^(fp16|bf16): true$/gm) ?? []).length, 1);
    assert.equal(lint(['--unsafe', 'a.yaml'], { cwd: dir }).status, 2, '--unsafe needs --fix');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
