// Bad input never crashes a rule: every key the rules read, set to values of
// every wrong shape, still yields a diagnostic list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { v0Schema } from '../../server/src/service/schema/schema';
import { contextFor, fixesFor, fixturesDir, runRules } from './args-rules-support';

const ODD_VALUES = ['', 'null', '~', '"false"', '[]', '{}', '[1, [2]]', '{a: {b: 1}}', '-1', '.nan', '.inf', '"{"', '"{not json"', 'xxx', '*anchor'];

test('rules survive every key set to values of the wrong shape', () => {
  const config = path.join(fixturesDir, 'robustness.yaml');
  for (const key of Object.keys(v0Schema.properties)) {
    for (const value of ODD_VALUES) {
      const text = `anchor_holder: &anchor {k: [1, 2]}\nmodel_name_or_path: m\nstage: ppo\nfsdp: full_shard\nload_best_model_at_end: true\n${key}: ${value}\n`;
      const ctx = contextFor(config, text);
      const diagnostics = runRules(ctx);
      assert.ok(Array.isArray(diagnostics));
      for (const d of diagnostics) assert.ok(Array.isArray(fixesFor(ctx, d)));
    }
  }
});
