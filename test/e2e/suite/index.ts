// The extension-host test entry in @vscode/test-electron's shape: a runner
// (test-electron's runTests in ../runTest.ts, or ../vscode.test.ts here) starts VS Code with
// this file as extensionTestsPath and calls run() inside the extension host.
// Scenario files are *.scenario.js beside it, run in name order by mocha.
// When LLAMAFACTORY_E2E_REPORT names a file, a JSON summary is written there
// so the runner can check what passed, failed and was skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import type { ScenarioResult } from '../report';
import { skipReasons } from './util';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.scenario.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const results: ScenarioResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const report = process.env.LLAMAFACTORY_E2E_REPORT;
      if (report) fs.writeFileSync(report, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host scenario(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: String(err?.stack ?? err) }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending', skipReason: skipReasons.get(t.fullTitle()) }));
  });
}
