// The ServiceHost over the real file system, used by the server and the CLI
// (the service itself never imports fs). Reads are capped so a huge file
// named by a config cannot stall analysis.
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { ServiceHost } from './service/types';

const MAX_REFERENCED_FILE = 16 * 1024 * 1024;

export function createNodeHost(roots: () => string[] = () => [process.cwd()]): ServiceHost {
  return {
    readFile(p) {
      try {
        const st = fs.statSync(p);
        if (!st.isFile() || st.size > MAX_REFERENCED_FILE) return undefined;
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    isDirectory(p) {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    listDir(p) {
      try {
        return fs.readdirSync(p);
      } catch {
        return [];
      }
    },
    searchRoots: roots,
    env: (name) => process.env[name],
    homeDir: () => os.homedir(),
  };
}
