// Every wait in the tests has a timeout: a synchronous child process started
// by a test (spawnSync, execFileSync, execSync) is given one, so a hung CLI or
// editor fails the test instead of stalling CI. Checked on the test sources
// with the TypeScript parser.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../helpers';

const SYNC_CALLS = new Set(['spawnSync', 'execFileSync', 'execSync']);

function callsWithoutTimeout(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(source).split('.').at(-1) ?? '';
      const options = node.arguments.find((a) => ts.isObjectLiteralExpression(a)) as ts.ObjectLiteralExpression | undefined;
      const timed = options?.properties.some((p) => p.name?.getText(source) === 'timeout') ?? false;
      if (SYNC_CALLS.has(callee) && !timed) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${path.relative(repoRoot, file)}:${line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the scan sees a call without a timeout', () => {
  const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'waits-')), 'probe.ts');
  fs.writeFileSync(probe, "import { spawnSync } from 'node:child_process';\nspawnSync('true', [], { encoding: 'utf8' });\n");
  assert.equal(callsWithoutTimeout(probe).length, 1);
});

test('every synchronous child process in the tests has a timeout', () => {
  const dir = path.join(repoRoot, 'test');
  const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
  assert.deepEqual(files.flatMap(callsWithoutTimeout), []);
});
