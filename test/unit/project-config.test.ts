// The project config shared by the CLI and the server: .llamafactory-lint.yaml
// or [tool.llamafactory-lint] in pyproject.toml, nearest wins, mistakes are
// diagnostics at their line, and settings the user gives win over it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allCodes, codeDocUrl, createLanguageService, defaultSettings } from '../../server/src/service';
import { findProjectConfig, isExcluded, parsePyprojectConfig, parseYamlProjectConfig } from '../../server/src/service/project/config';
import { memoryHost } from '../helpers';

const CONFIG = 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\ndataset: alpaca_en_demo\ntemplate: qwen\nfinetuning_type: lora\n';

test('a .llamafactory-lint.yaml with every key is read as written', () => {
  const c = parseYamlProjectConfig('/p/.llamafactory-lint.yaml', [
    'rules:',
    '  memory-exceeds-gpu: error',
    '  requires-env: off',
    'gpu: rtx-4090',
    'gpus: 2',
    'files: ["configs/**/*.yaml"]',
    'exclude: [vendor]',
    'version: "0.9.3"',
    'launch: torchrun --nproc_per_node 2',
  ].join('\n'));
  assert.deepEqual(c.problems, []);
  assert.deepEqual(c.settings, {
    rules: { 'memory-exceeds-gpu': 'error', 'requires-env': 'off' },
    gpu: 'rtx-4090', gpus: 2, files: ['configs/**/*.yaml'], exclude: ['vendor'], version: '0.9.3', launch: 'torchrun --nproc_per_node 2',
  });
});

test('each mistake in a .llamafactory-lint.yaml is a config-invalid error at its line', () => {
  const c = parseYamlProjectConfig('/p/.llamafactory-lint.yaml', [
    'rules:',
    '  unknown-kye: warning',
    '  requires-env: loud',
    'gpu: potato-9000',
    'gpus: 0',
    'gpuz: 1',
  ].join('\n'));
  assert.deepEqual(c.problems.map((p) => [p.code, p.range.start.line]), [['config-invalid', 1], ['config-invalid', 2], ['config-invalid', 3], ['config-invalid', 4], ['config-invalid', 5]]);
  assert.match(String(c.problems[0].message), /unknown-kye.*`unknown-key`/);
  assert.match(String(c.problems[1].message), /"loud"/);
  assert.match(String(c.problems[4].message), /`gpuz`.*`gpus`/);
  // Only the valid parts apply.
  assert.deepEqual(c.settings, { rules: {} });
  const broken = parseYamlProjectConfig('/p/.llamafactory-lint.yaml', 'rules:\n  a: [\n');
  assert.equal(broken.problems[0].code, 'config-invalid');
  assert.match(String(broken.problems[0].message), /not valid YAML/);
});

test('pyproject.toml: the [tool.llamafactory-lint] table, its mistakes at their line, and no table means no config', () => {
  const text = ['[project]', 'name = "x"', '', '[tool.llamafactory-lint]', 'gpu = "a100-80gb-sxm"', 'gpus = 4', '', '[tool.llamafactory-lint.rules]', 'report-to-default = "off"', 'type-mismatch = "fatal"'].join('\n');
  const c = parsePyprojectConfig('/p/pyproject.toml', text)!;
  assert.deepEqual(c.settings, { rules: { 'report-to-default': 'off' }, gpu: 'a100-80gb-sxm', gpus: 4 });
  assert.deepEqual(c.problems.map((p) => p.range.start.line), [9]);
  assert.equal(parsePyprojectConfig('/p/pyproject.toml', '[tool.ruff]\nline-length = 100\n'), undefined);
  assert.equal(parsePyprojectConfig('/p/pyproject.toml', '[tool.ruff\nbroken'), undefined, 'a broken pyproject without our table is not ours to report');
  const bad = parsePyprojectConfig('/p/pyproject.toml', '[tool.llamafactory-lint]\ngpu = \n')!;
  assert.equal(bad.problems[0].range.start.line, 1);
  assert.match(String(bad.problems[0].message), /not valid TOML/);
});

test('the nearest project config wins; a pyproject.toml without our table is passed over', () => {
  const host = memoryHost({
    '/repo/.llamafactory-lint.yaml': 'gpu: rtx-4090\n',
    '/repo/team/pyproject.toml': '[tool.black]\n',
    '/repo/team/exp/pyproject.toml': '[tool.llamafactory-lint]\ngpu = "a100-80gb-sxm"\n',
  });
  assert.equal(findProjectConfig(host.readFile, '/repo/team/exp/a.yaml')?.settings.gpu, 'a100-80gb-sxm');
  assert.equal(findProjectConfig(host.readFile, '/repo/team/b.yaml')?.path, '/repo/.llamafactory-lint.yaml');
  assert.equal(findProjectConfig(host.readFile, '/elsewhere/c.yaml'), undefined);
});

test('exclude: a pattern with a slash is anchored at the config folder, a bare name matches anywhere, a folder covers its files', () => {
  const c = parseYamlProjectConfig('/repo/.llamafactory-lint.yaml', 'exclude: [vendor, "examples/old/*.yaml"]\n');
  assert.equal(isExcluded(c, '/repo/vendor/a.yaml'), true);
  assert.equal(isExcluded(c, '/repo/x/vendor/deep/a.yaml'), true);
  assert.equal(isExcluded(c, '/repo/examples/old/a.yaml'), true);
  assert.equal(isExcluded(c, '/repo/x/examples/old/a.yaml'), false);
  assert.equal(isExcluded(c, '/repo/examples/a.yaml'), false);
  assert.equal(isExcluded(c, '/other/vendor/a.yaml'), false, 'outside the config folder');
});

test('settings the user gives win over the project config, which wins over the defaults', () => {
  const host = memoryHost({ '/repo/.llamafactory-lint.yaml': 'rules:\n  report-to-default: off\n  output-dir-default: error\ngpu: rtx-4090\ngpus: 2\nfiles: ["*.lf.yaml"]\n' });
  const service = createLanguageService(host);
  const fromProject = service.settingsFor('/repo/a.yaml', {});
  assert.deepEqual([fromProject.gpu, fromProject.gpuCount, fromProject.rules, fromProject.files], ['rtx-4090', 2, { 'report-to-default': 'off', 'output-dir-default': 'error' }, ['*.lf.yaml']]);
  const given = service.settingsFor('/repo/a.yaml', { gpu: 'a100-80gb-sxm', gpuCount: 1, rules: { 'report-to-default': 'warning' } });
  assert.deepEqual([given.gpu, given.gpuCount, given.rules['report-to-default'], given.rules['output-dir-default']], ['a100-80gb-sxm', 1, 'warning', 'error']);
  assert.deepEqual(service.settingsFor('/elsewhere/a.yaml', {}), { ...defaultSettings, files: [], rules: {} });
});

test('the project config changes the analysis: severities, exclusion', () => {
  const host = memoryHost({ '/repo/.llamafactory-lint.yaml': 'rules:\n  report-to-default: error\nexclude: [skip]\n' });
  const service = createLanguageService(host);
  const analyse = (p: string) => service.analyze({ uri: `file://${p}`, text: CONFIG, configPath: p }, service.settingsFor(p, {}));
  const d = analyse('/repo/a.yaml').diagnostics.find((x) => x.code === 'report-to-default');
  assert.equal(d?.severity, 1);
  const skipped = analyse('/repo/skip/a.yaml');
  assert.equal(skipped.kind, 'other');
  assert.deepEqual(skipped.diagnostics, []);
  assert.equal(service.isExcluded('/repo/skip/a.yaml'), true);
});

test('an open .llamafactory-lint.yaml shows its own mistakes; every diagnostic links to its rule page', () => {
  const service = createLanguageService(memoryHost());
  const p = '/repo/.llamafactory-lint.yaml';
  const a = service.analyze({ uri: `file://${p}`, text: 'rules:\n  no-such-code: error\n', configPath: p }, defaultSettings);
  assert.deepEqual(a.diagnostics.map((d) => [d.code, d.range.start.line]), [['config-invalid', 1]]);
  const c = service.analyze({ uri: 'file:///repo/a.yaml', text: `${CONFIG}lora_rnak: 8\n`, configPath: '/repo/a.yaml' }, defaultSettings);
  assert.ok(c.diagnostics.length > 0);
  for (const d of [...a.diagnostics, ...c.diagnostics]) assert.equal(d.codeDescription?.href, codeDocUrl(String(d.code)));
  assert.match(codeDocUrl('unknown-key'), /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/main\/docs\/rules\/unknown-key\.md$/);
  assert.ok(allCodes().includes('config-invalid'));
});
