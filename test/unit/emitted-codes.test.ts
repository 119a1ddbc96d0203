// Every code the service can put on a diagnostic is registered (so it is
// listed by --list-rules, documented, accepted in settings and kept in the
// contract list, test/unit/rule-shape.test.ts). The service's source is
// read with the TypeScript parser: a code is a string literal given as
// makeDiagnostic's third argument, or one that follows a DiagnosticSeverity
// argument in any other call (the wrappers that add a prefix).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { allCodes } from '../../server/src/service';
import { repoRoot } from '../helpers';

const serviceDir = path.join(repoRoot, 'server', 'src', 'service');

function codesIn(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const direct = node.expression.getText(source) === 'makeDiagnostic';
      node.arguments.forEach((arg, i) => {
        const before = node.arguments[i - 1];
        const isCode = direct ? i === 2 : before !== undefined && before.getText(source).includes('DiagnosticSeverity.');
        if (ts.isStringLiteral(arg) && isCode) found.push(arg.text);
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function emittedCodes(): Set<string> {
  const files = fs.readdirSync(serviceDir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  return new Set(files.flatMap((f) => codesIn(path.join(serviceDir, f))));
}

test('the source scan finds the codes it should (a sanity check of the scan itself)', () => {
  const emitted = emittedCodes();
  for (const code of ['yaml-syntax', 'duplicate-key', 'launch-unparsed', 'accelerate-unknown-key']) assert.ok(emitted.has(code), code);
});

test('every code a diagnostic is made with is registered (codes.ts or a rule)', () => {
  const registered = new Set(allCodes());
  const missing = [...emittedCodes()].filter((c) => !registered.has(c));
  assert.deepEqual(missing, [], 'add these to CORE_CODES in server/src/service/codes.ts (or emit them from a rule), then run npm run docs:rules');
});
