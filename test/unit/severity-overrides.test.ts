// The `llamafactory.rules` severities change what one analysis reports, never
// the parse or results cached for the next one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { createLanguageService, defaultSettings } from '../../server/src/service';
import type { ServiceSettings } from '../../server/src/service';
import { memoryHost } from '../helpers';

// Two YAML documents in one file is a parse error, so the rules are skipped; without the
// second document the same config gets `template-missing`.
const twoDocuments = 'model_name_or_path: Qwen/Qwen2.5-7B\nstage: sft\ndo_train: true\n---\nfinetuning_type: lora\n';
const input = { uri: 'file:///ws/sft.yaml', configPath: '/ws/sft.yaml', text: twoDocuments, version: 1 };
const demoted: ServiceSettings = { ...defaultSettings, rules: { 'multiple-documents': 'information' } };

function severitiesOf(settings: ServiceSettings, service = createLanguageService(memoryHost())) {
  const codes = service.analyze(input, settings).diagnostics;
  return {
    parse: codes.filter((d) => d.code === 'multiple-documents').map((d) => d.severity),
    templateMissing: codes.some((d) => d.code === 'template-missing'),
  };
}

test('removing a severity override brings back the original severity of a cached parse', () => {
  const service = createLanguageService(memoryHost());
  assert.deepEqual(severitiesOf(defaultSettings, service).parse, [DiagnosticSeverity.Error]);
  assert.deepEqual(severitiesOf(demoted, service).parse, [DiagnosticSeverity.Information]);
  assert.deepEqual(severitiesOf(defaultSettings, service).parse, [DiagnosticSeverity.Error]);
});

test('a parse error demoted to information still keeps the rules from running', () => {
  assert.equal(createLanguageService(memoryHost()).analyze({ ...input, text: twoDocuments.split('---')[0] }, defaultSettings)
    .diagnostics.some((d) => d.code === 'template-missing'), true, 'the single document gets template-missing');
  const service = createLanguageService(memoryHost());
  for (const settings of [demoted, demoted, defaultSettings, demoted]) {
    assert.equal(severitiesOf(settings, service).templateMissing, false);
  }
});
