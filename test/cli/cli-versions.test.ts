// llamafactory-lint and the user's LLaMA-Factory: --lf-version, --lf-path, the
// Python environment from VIRTUAL_ENV / CONDA_PREFIX, the JSON `llamafactory`
// object, the one line naming the version, and exit 2 for what it cannot use.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixturesDir, repoRoot } from '../helpers';

const cli = path.join(repoRoot, 'server/out/cli.js');
const work = mkdtempSync(path.join(tmpdir(), 'lf-versions-'));
const config = path.join(work, 'configs', 'ray.yaml');
mkdirSync(path.dirname(config), { recursive: true });
writeFileSync(config, 'model_name_or_path: Qwen/Qwen2.5-7B-Instruct\nstage: sft\ndo_train: true\nfinetuning_type: lora\ntemplate: alpaca\ndataset: alpaca_en_demo\noutput_dir: out\nray_run_name: demo\n');

function lint(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', LANG: 'C', ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--lf-version picks the release; the JSON says which, and from where', () => {
  const old = lint(['--format', 'json', '--lf-version', '0.9.3', config]);
  assert.equal(old.status, 0, old.stdout);
  assert.deepEqual(JSON.parse(old.stdout)[0].llamafactory, { version: '0.9.3', source: 'setting', path: null });
  const now = lint(['--format', 'json', '--lf-version', '0.9.5', config]);
  assert.equal(now.status, 1);
  const d = JSON.parse(now.stdout)[0].diagnostics.find((x: { code: string }) => x.code === 'unknown-key');
  assert.equal(d.message, '`ray_run_name` was removed in LLaMA-Factory 0.9.5; this workspace uses LLaMA-Factory 0.9.5 (from --lf-version).');
});

test('without any LLaMA-Factory: the newest release, named once on stderr', () => {
  const r = lint([config, config]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'llamafactory-lint: checked against LLaMA-Factory 0.9.5 (from newest bundled release)\n');
  assert.equal(JSON.parse(lint(['--format', 'json', config]).stdout)[0].llamafactory.source, 'bundled');
});

test('VIRTUAL_ENV, CONDA_PREFIX and --lf-path read the installed source', () => {
  const prefix = path.join(work, 'env');
  cpSync(path.join(fixturesDir, 'lf-releases', 'v0.9.3', 'src', 'llamafactory'), path.join(prefix, 'lib', 'python3.11', 'site-packages', 'llamafactory'), { recursive: true });
  for (const name of ['VIRTUAL_ENV', 'CONDA_PREFIX']) {
    const r = lint(['--format', 'json', config], { [name]: prefix });
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout)[0].llamafactory, { version: '0.9.3', source: 'environment', path: path.join(prefix, 'lib', 'python3.11', 'site-packages', 'llamafactory') });
  }
  const byPath = lint(['--format', 'json', '--lf-path', path.join(fixturesDir, 'lf-releases', 'v0.9.5'), config]);
  assert.equal(JSON.parse(byPath.stdout)[0].llamafactory.version, '0.9.5');
  assert.equal(byPath.status, 1);
});

test('an unknown release or a folder without LLaMA-Factory: exit 2, saying what was looked for', () => {
  const release = lint(['--lf-version', '0.9.99', config]);
  assert.equal(release.status, 2);
  assert.match(release.stderr, /--lf-version: unknown LLaMA-Factory release "0\.9\.99"\. Known: 0\.8\.0, .*0\.9\.5, main/);
  const folder = lint(['--lf-path', work, config]);
  assert.equal(folder.status, 2);
  assert.match(folder.stderr, /--lf-path: no LLaMA-Factory in .* \(looked for src\/llamafactory\/hparams, llamafactory\/hparams and hparams with extras\/env\.py\)/);
  assert.equal(folder.stdout, '');
});
