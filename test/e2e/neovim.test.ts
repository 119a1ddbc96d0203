// Neovim's built-in LSP client (Debian's 0.7) starts our bundled server over
// stdio, opens a config and receives diagnostics and a hover.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../helpers';
import { e2eTest, tools } from './tools';
import { tempDir } from './vscodeServer';

interface NvimResult {
  errors: string[];
  attached: boolean;
  got_diagnostics: boolean;
  diagnostics_ms: number;
  diagnostics: { lnum: number; col: number; end_lnum: number; end_col: number; severity: number; source: string; code: string; message: string }[];
  hover: { contents: { kind: string; value: string } } | null;
  stopped: boolean;
}

function runNeovim(file: string, gpu: string, hover: { line: number; character: number }): NvimResult {
  const out = path.join(tempDir('nvim'), 'result.json');
  const r = spawnSync(tools.nvim, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(repoRoot, 'test', 'e2e', 'neovim', 'lsp-client.lua')}`], {
    env: {
      ...process.env,
      LF_NODE: process.execPath,
      LF_SERVER: path.join(repoRoot, 'server', 'out', 'server.js'),
      LF_FILE: file,
      LF_GPU: gpu,
      LF_HOVER_LINE: String(hover.line),
      LF_HOVER_CHAR: String(hover.character),
      LF_OUT: out,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.ok(fs.existsSync(out), `neovim wrote no result (status ${r.status}): ${r.stderr}${r.stdout}`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return result;
}

e2eTest('Neovim: diagnostics and hover from the server over stdio', ['nvim'], async (t) => {
  const file = path.join(fixturesDir, 'e2e', 'conflict-fp16-bf16.yaml');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const bf16 = lines.findIndex((l) => l.startsWith('bf16:'));
  const fp16 = lines.findIndex((l) => l.startsWith('fp16:'));
  const r = runNeovim(file, 't4', { line: fp16, character: 1 });
  t.diagnostic(`diagnostics after ${Math.round(r.diagnostics_ms)} ms`);
  assert.deepEqual(r.errors, []);
  assert.equal(r.attached, true);
  assert.equal(r.got_diagnostics, true);

  const byCode = new Map(r.diagnostics.map((d) => [d.code, d]));
  const conflict = byCode.get('conflict-fp16-bf16');
  assert.ok(conflict, JSON.stringify(r.diagnostics));
  assert.deepEqual([conflict.lnum, conflict.col, conflict.end_lnum, conflict.end_col, conflict.severity, conflict.source], [bf16, 0, bf16, 4, 1, 'llamafactory']);
  // The GPU comes from the settings Neovim returns for workspace/configuration.
  assert.ok(byCode.get('hw-bf16-emulated')?.message.includes('T4'), 'settings reach the server');

  assert.equal(r.hover?.contents.kind, 'markdown');
  assert.match(r.hover.contents.value, /fp16/);
  assert.equal(r.stopped, true);
});
