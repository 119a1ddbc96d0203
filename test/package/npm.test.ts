// The npm package as users get it: `npm pack` ships only what runs, and the
// way pre-commit installs a `language: node` hook (npm install and npm pack in
// a clean clone, then `npm install -g` of the tarball) gives working bins.
// Everything runs offline: the clone reuses this checkout's node_modules and
// the packed package has no dependencies to fetch.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../helpers';

const MAX_PACKED_BYTES = 2 * 1024 * 1024;
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string>; dependencies?: object; version: string };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackEntry { filename: string; size: number; files: { path: string }[] }

function npmRun(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(npm, [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('npm pack ships the bins, schemas, rule pages, README, CHANGELOG and LICENSE, and nothing else', () => {
  // --ignore-scripts: the bundles are built already, and rebuilding them here would race other tests.
  const [pack] = JSON.parse(npmRun(['pack', '--dry-run', '--json', '--ignore-scripts'], repoRoot)) as (PackEntry & { size: number })[];
  const files = pack.files.map((f) => f.path).sort();
  const allowed = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|server\/out\/(cli|server)\.js|schemas\/[\w.-]+\.json|docs\/rules\/[\w-]+\.md)$/;
  for (const f of files) assert.match(f, allowed);
  for (const bin of Object.values(manifest.bin)) assert.ok(files.includes(bin.replace(/^\.\//, '')), bin);
  assert.ok(files.some((f) => f.startsWith('docs/rules/')), 'the rule pages that --explain prints');
  assert.ok(pack.size < MAX_PACKED_BYTES, `${pack.size} bytes packed`);
  assert.equal(manifest.dependencies, undefined, 'the bundles carry their libraries: nothing to install');
});

test('the pre-commit hook is a node hook on YAML files whose entry is one of the package bins', () => {
  const hooks = parse(fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; types: string[]; pass_filenames?: boolean }[];
  assert.ok(hooks.some((h) => h.id === 'llamafactory-lint'));
  for (const h of hooks) {
    assert.equal(h.language, 'node');
    assert.deepEqual(h.types, ['yaml']);
    assert.notEqual(h.pass_filenames, false);
    assert.ok(Object.keys(manifest.bin).includes(h.entry.split(' ')[0]), h.entry);
  }
});

/** The files a fresh clone has: tracked and not-ignored untracked files (no build output). */
function cloneTree(into: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 }).split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(repoRoot, f);
    if (!fs.existsSync(from) || fs.lstatSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(into, f)), { recursive: true });
    fs.copyFileSync(from, path.join(into, f));
  }
}

/** What a server answers to `initialize` over stdio (it must stay open until it answers). */
function initializeAnswer(bin: string): Promise<string> {
  const child = spawn(bin, ['--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  let out = '';
  return new Promise<string>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      child.kill();
      resolve(out);
    };
    const timer = setTimeout(done, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('serverInfo')) done();
    });
  });
}

test('installed the way pre-commit installs a node hook, both bins work with no node_modules', { timeout: 600_000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llamafactory-precommit-'));
  try {
    const clone = path.join(tmp, 'repo');
    cloneTree(clone);
    assert.ok(!fs.existsSync(path.join(clone, 'server/out')), 'a clean tree has no bundles');
    // The dev dependencies pre-commit's `npm install` would fetch; copied so the test needs no network.
    fs.cpSync(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    // pre-commit/pre-commit: pre_commit/languages/node.py, install_environment.
    const prefix = path.join(tmp, 'env');
    const env = { NPM_CONFIG_PREFIX: prefix, npm_config_prefix: prefix };
    npmRun(['install', '--include=dev', '--include=prod', '--ignore-prepublish', '--no-save', '--offline'], clone, env);
    const tgz = npmRun(['pack'], clone, env).trim().split('\n').pop()!;
    npmRun(['install', '-g', '--offline', path.join(clone, tgz)], tmp, env);

    const binDir = process.platform === 'win32' ? prefix : path.join(prefix, 'bin');
    const installed = path.join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules', manifest.name);
    assert.ok(!fs.existsSync(path.join(installed, 'node_modules')), 'no runtime dependencies installed');
    const run = (bin: string, args: string[], input?: string) => spawnSync(path.join(binDir, bin), args, { cwd: repoRoot, encoding: 'utf8', input, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });

    assert.equal(run('llamafactory-lint', ['--version']).stdout.trim(), manifest.version);
    // As pre-commit calls it: the staged YAML files as arguments; other YAML stays silent.
    const hook = run('llamafactory-lint', ['examples/broken-v100.yaml', 'examples/qwen2.5-7b-lora-sft.yaml', '.pre-commit-hooks.yaml']);
    assert.equal(hook.status, 1, hook.stderr);
    assert.match(hook.stdout, /^examples\/broken-v100\.yaml:10:1 error unknown-key /m);
    assert.ok(!hook.stdout.includes('.pre-commit-hooks.yaml'), 'a YAML file that is not a LLaMA-Factory config is not reported');
    assert.match(run('llamafactory-lint', ['--explain', 'unknown-key']).stdout, /^# `unknown-key`$/m);

    assert.equal(run('llamafactory-language-server', ['--version']).stdout.trim(), manifest.version);
    assert.match(await initializeAnswer(path.join(binDir, 'llamafactory-language-server')), /"name":"llamafactory-language-server"/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
