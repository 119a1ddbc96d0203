// Where the user's LLaMA-Factory is, found through the host's file access only
// (no Python is run): an LLaMA-Factory checkout in a folder above the config
// (src/llamafactory/extras/env.py, which holds VERSION in every release since
// 0.8.0), or a Python environment (VIRTUAL_ENV, CONDA_PREFIX, a .venv or venv
// folder beside the config or in the workspace) whose site-packages has the
// `llamafactory` package, or the environment of the `llamafactory-cli` on
// PATH; an editable install's direct_url.json (PEP 610) leads to its checkout.
import * as path from 'node:path';
import type { ServiceHost } from '../../types';

export interface FoundSource {
  /** The package folder: `<checkout>/src/llamafactory` or `<site-packages>/llamafactory`. */
  pkg: string;
  /** What the user would recognise: the checkout root or the package folder. */
  root: string;
  source: 'checkout' | 'environment';
  /** How it was found, for messages: "checkout", ".venv", "VIRTUAL_ENV", ... */
  via: string;
  /** site-packages of the environment, where transformers may be too. */
  sitePackages?: string;
}

/** The package folder inside `dir` when it is a checkout, a site-packages folder, or the package folder itself. */
export function packageIn(host: ServiceHost, dir: string): string | undefined {
  return [path.join(dir, 'src', 'llamafactory'), path.join(dir, 'llamafactory'), dir].find((d) => host.isDirectory(path.join(d, 'hparams')) && host.readFile(path.join(d, 'extras', 'env.py')) !== undefined);
}

/** The nearest LLaMA-Factory checkout at or above `dir`. */
export function checkoutAbove(host: ServiceHost, dir: string): FoundSource | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const pkg = path.join(d, 'src', 'llamafactory');
    if (host.isDirectory(path.join(pkg, 'hparams')) && host.readFile(path.join(pkg, 'extras', 'env.py')) !== undefined) {
      return { pkg, root: d, source: 'checkout', via: 'checkout' };
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * Python environments to look in, in order: the interpreter the editor selected,
 * the active one (VIRTUAL_ENV, CONDA_PREFIX), .venv / venv folders, then the
 * environment of the `llamafactory-cli` on PATH.
 */
export function environments(host: ServiceHost, configDir: string, selected?: string): { prefix: string; via: string }[] {
  const out: { prefix: string; via: string }[] = selected ? [{ prefix: selected, via: 'selected interpreter' }] : [];
  for (const name of ['VIRTUAL_ENV', 'CONDA_PREFIX']) {
    const prefix = host.env(name);
    if (prefix) out.push({ prefix, via: name });
  }
  const folders: string[] = [];
  for (let d = path.resolve(configDir); ; d = path.dirname(d)) {
    folders.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const root of [...folders, ...host.searchRoots()]) {
    for (const name of ['.venv', 'venv']) {
      const prefix = path.join(root, name);
      if (!out.some((e) => e.prefix === prefix) && host.isDirectory(prefix)) out.push({ prefix, via: name });
    }
  }
  const cli = cliEnvironment(host);
  if (cli && !out.some((e) => e.prefix === cli)) out.push({ prefix: cli, via: CLI_VIA });
  return out;
}

const CLI_VIA = 'llamafactory-cli on PATH';

/**
 * The environment of the first `llamafactory-cli` on PATH: the prefix of the interpreter its
 * console-script shebang names (`#!/opt/envs/lf/bin/python3.11`), else the folder above its bin/ (Scripts\ on Windows).
 */
export function cliEnvironment(host: ServiceHost): string | undefined {
  const dirs = (host.env('PATH') ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const name of ['llamafactory-cli', 'llamafactory-cli.exe']) {
      const script = host.readFile(path.join(dir, name));
      if (script === undefined) continue;
      const shebang = /^#!\s*(\S+)/.exec(script)?.[1];
      const interpreter = shebang && path.isAbsolute(shebang) && !/\/env$/.test(shebang) ? shebang : path.join(dir, 'python');
      return path.dirname(path.dirname(interpreter));
    }
  }
  return undefined;
}

/** site-packages folders of an environment prefix (POSIX lib/python3.X, Windows Lib). */
export function sitePackagesOf(host: ServiceHost, prefix: string): string[] {
  const posix = host.listDir(path.join(prefix, 'lib')).filter((n) => /^python3(\.\d+)?t?$/.test(n)).sort().reverse().map((n) => path.join(prefix, 'lib', n, 'site-packages'));
  return [...posix, path.join(prefix, 'Lib', 'site-packages')].filter((d) => host.isDirectory(d));
}

/** LLaMA-Factory installed in an environment: an editable install's checkout, else the installed package folder. */
export function installedIn(host: ServiceHost, env: { prefix: string; via: string }): FoundSource | undefined {
  for (const sp of sitePackagesOf(host, env.prefix)) {
    const dist = host.listDir(sp).find((n) => /^llamafactory-[^-]+\.dist-info$/i.test(n));
    const checkout = dist ? editableCheckout(host.readFile(path.join(sp, dist, 'direct_url.json'))) : undefined;
    const fromCheckout = checkout ? packageIn(host, checkout) : undefined;
    if (fromCheckout && checkout) return { pkg: fromCheckout, root: checkout, source: 'environment', via: env.via, sitePackages: sp };
    const pkg = path.join(sp, 'llamafactory');
    if (host.isDirectory(path.join(pkg, 'hparams'))) return { pkg, root: pkg, source: 'environment', via: env.via, sitePackages: sp };
  }
  return undefined;
}

/** PEP 610: `{"url": "file:///…/LLaMA-Factory", "dir_info": {"editable": true}}` → the folder. */
export function editableCheckout(json: string | undefined): string | undefined {
  if (!json) return undefined;
  try {
    const d = JSON.parse(json) as { url?: unknown; dir_info?: { editable?: unknown } };
    if (d.dir_info?.editable !== true || typeof d.url !== 'string' || !d.url.startsWith('file://')) return undefined;
    const p = decodeURIComponent(d.url.slice('file://'.length));
    return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p; // file:///C:/x on Windows
  } catch {
    return undefined;
  }
}

/** The transformers version installed in a site-packages, from its dist-info folder's name (`transformers-4.52.4.dist-info`). */
export function transformersVersionIn(host: ServiceHost, sitePackages: string | undefined): string | undefined {
  if (!sitePackages) return undefined;
  const dist = host.listDir(sitePackages).find((n) => /^transformers-[^-]+\.dist-info$/i.test(n));
  return dist?.slice('transformers-'.length, -'.dist-info'.length);
}

/** transformers' package folder in a site-packages, when its training_args.py is there. */
export function transformersIn(host: ServiceHost, sitePackages: string | undefined): string | undefined {
  if (!sitePackages) return undefined;
  const pkg = path.join(sitePackages, 'transformers');
  return host.readFile(path.join(pkg, 'training_args.py')) !== undefined ? pkg : undefined;
}
