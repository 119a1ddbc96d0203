// The same extension-host suite under @vscode/test-electron, for machines that
// can download a VS Code build (CI here cannot; vscode.test.ts runs it in the
// VS Code server instead). Run with `npm run test:electron`.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { fixturesDir, repoRoot } from '../helpers';
import { tempDir, workspaceFrom } from './vscodeServer';

async function main(): Promise<void> {
  const code = await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    launchArgs: [workspaceFrom(path.join(fixturesDir, 'e2e'), tempDir('ws')), '--disable-extensions', '--disable-workspace-trust'],
  });
  process.exit(code);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
