// Which LLaMA-Factory a config is checked against, first match wins:
//   1. the CLI's --lf-version / --lf-path,
//   2. the directive `# llamafactory-version: 0.9.3` at the top of the file,
//   3. the `llamafactory.version` setting (a release or a folder),
//   4. an LLaMA-Factory checkout in a folder above the config,
//   5. the Python environment (VIRTUAL_ENV, CONDA_PREFIX, .venv/venv),
//   6. else the newest bundled release, said plainly.
// A found source tree is read itself (a dev snapshot has its own key set); its
// facts are kept per package folder and re-read when one of its files changes.
import * as path from 'node:path';
import type { FileStat, ServiceHost, ServiceSettings } from '../../types';
import type { ConfigSchema } from '../../schema/schema';
import { t } from '../../l10n';
import { bundled } from './bundled';
import { checkoutAbove, environments, installedIn, packageIn, sitePackagesOf, transformersIn, transformersVersionIn } from './detect';
import type { FoundSource } from './detect';
import { extractSource, extractTransformersKeys } from './extract';
import type { SourceReader } from './extract';
import { factsFromSource } from './facts';
import type { ReleaseFacts } from './facts';
import { releaseSchemas } from './release-schema';

export type ReleaseSource = 'setting' | 'checkout' | 'environment' | 'bundled';

export interface ResolvedRelease {
  facts: ReleaseFacts;
  source: ReleaseSource;
  /** How it was given or found: "--lf-version", "# llamafactory-version", "llamafactory.version", "checkout", ".venv", "VIRTUAL_ENV", "newest bundled release". */
  via: string;
  /** The checkout or package folder the facts were read from. */
  path?: string;
  /** The LLaMA-Factory checkout (the folder holding src/llamafactory and data/), when the facts came from one. */
  checkout?: string;
  /** Why an explicit choice was not used (the facts are then the newest release's). */
  problem?: string;
  /** The transformers installed beside it, whose TrainingArguments keys the facts hold; absent: the bundled set for the release's pin. */
  transformers?: InstalledTransformers;
  schemas: { v0: ConfigSchema; v1: ConfigSchema };
}

export interface InstalledTransformers {
  /** From the dist-info folder; undefined when only the package folder is there. */
  version?: string;
  /** The package folder its keys were read from. */
  path: string;
}

/** A version given explicitly: a release name ("0.9.3", "main") or a folder. */
export interface ReleaseChoice {
  value: string;
  via: '--lf-version' | '--lf-path' | '# llamafactory-version' | 'llamafactory.version';
}

const DIRECTIVE = /^#\s*llamafactory-version\s*:\s*(\S+)/;

/** `# llamafactory-version: X` among the comment lines that open the file, and its 0-based line. */
export function versionDirective(text: string): { value: string; line: number } | undefined {
  const lines = text.split('\n', 20);
  for (let line = 0; line < lines.length; line++) {
    const s = lines[line].trim();
    if (s === '') continue;
    if (!s.startsWith('#')) return undefined;
    const m = DIRECTIVE.exec(s);
    if (m) return { value: m[1], line };
  }
  return undefined;
}

const looksLikePath = (v: string): boolean => /[/\\]/.test(v) || v.startsWith('.') || v.startsWith('~');

/** One line for messages: "LLaMA-Factory 0.9.3 (from .venv)". */
export function describeRelease(r: ResolvedRelease): string {
  return t('LLaMA-Factory {0} (from {1})', r.facts.name, r.via);
}

/** The language-status item: "LLaMA-Factory 0.9.3 · .venv", with the folder or what went wrong as its detail. */
export function releaseStatus(r: ResolvedRelease): { text: string; detail: string; warning: boolean } {
  const found = r.problem ?? r.path ?? t('No LLaMA-Factory found above the config or in a Python environment; checking against the newest bundled release. Set `llamafactory.version` to choose one.');
  const detail = r.transformers?.version ? `${found} · transformers ${r.transformers.version}` : found;
  return { text: `LLaMA-Factory ${r.facts.name} · ${r.via}`, detail, warning: r.problem !== undefined };
}

/** What reading a source saw of one file (its text and, where the host can tell, size and time) or folder listing. */
interface Seen {
  text: string | undefined;
  stat?: FileStat;
}

interface CachedSource {
  /** The package folder. */
  pkg: string;
  /** Paths relative to it; a folder's listing ends with `/`. */
  files: Map<string, Seen>;
  facts: ReleaseFacts;
  /** The transformers keys the facts were made with (read from the environment), when there were any. */
  tfKeys?: ReadonlySet<string>;
  /** When the files were last compared with the disk (Date.now()). */
  checkedAt: number;
}

/** How long a read source is trusted before its files are compared again: edits re-check at most this often. */
const RECHECK_MS = 1000;

export class ReleaseResolver {
  private readonly sources = new Map<string, CachedSource>();
  private readonly transformers = new Map<string, { files: Map<string, Seen>; keys: ReadonlySet<string> }>();

  constructor(private readonly host: ServiceHost) {}

  resolve(configPath: string, text: string, cli?: ReleaseChoice, settings: Pick<ServiceSettings, 'version' | 'pythonEnvironment'> = {}): ResolvedRelease {
    const setting = settings.version ?? '';
    const dir = path.dirname(path.resolve(configPath));
    const directive = versionDirective(text);
    const choice = cli ?? (directive ? { value: directive.value, via: '# llamafactory-version' as const } : undefined) ?? (setting.trim() ? { value: setting.trim(), via: 'llamafactory.version' as const } : undefined);
    if (choice) {
      const base = choice.via === 'llamafactory.version' ? (this.host.searchRoots()[0] ?? dir) : dir;
      const found = this.explicit(choice, base);
      const chosen = 'problem' in found ? { ...this.newest(), problem: found.problem } : found;
      return chosen.path === undefined ? this.withInstalledTransformers(chosen, dir, settings.pythonEnvironment) : chosen;
    }
    const located = checkoutAbove(this.host, dir) ?? environments(this.host, dir, settings.pythonEnvironment).map((e) => installedIn(this.host, e)).find(Boolean);
    return located ? this.fromSource(located) : this.withInstalledTransformers(this.newest(), dir, settings.pythonEnvironment);
  }

  /**
   * A bundled release checked with the transformers of the Python environment in use, when one has it
   * (its own TrainingArguments keys beat the bundled set for the release's pin).
   */
  private withInstalledTransformers(r: ResolvedRelease, dir: string, selected: string | undefined): ResolvedRelease {
    for (const env of environments(this.host, dir, selected)) {
      for (const sp of sitePackagesOf(this.host, env.prefix)) {
        const pkg = transformersIn(this.host, sp);
        if (!pkg) continue;
        const facts = this.withTransformers(r.facts, pkg);
        return { ...r, facts, schemas: releaseSchemas(facts), transformers: { version: transformersVersionIn(this.host, sp), path: pkg } };
      }
    }
    return r;
  }

  private readonly bundledWith = new Map<string, { base: ReleaseFacts; keys: ReadonlySet<string>; facts: ReleaseFacts }>();

  /** The bundled facts with another transformers key set, one object per pair (the release schema is cached per facts object). */
  private withTransformers(base: ReleaseFacts, pkg: string): ReleaseFacts {
    const keys = this.transformersKeys(pkg);
    const key = `${base.name}\0${pkg}`;
    const hit = this.bundledWith.get(key);
    if (hit && hit.base === base && hit.keys === keys) return hit.facts;
    const facts = { ...base, transformersKeys: keys };
    this.bundledWith.set(key, { base, keys, facts });
    return facts;
  }

  /** The package folders of the sources read so far (LLaMA-Factory's and transformers'), for a file watcher. */
  sourceFolders(): string[] {
    return [...new Set([...[...this.sources.values()].map((s) => s.pkg), ...this.transformers.keys()])];
  }

  /**
   * Files (or folders) under a read source changed, as a file watcher reports: the sources that hold
   * them are read again at the next resolve, whatever their times say. True when one did.
   */
  filesChanged(paths: readonly string[]): boolean {
    const inside = (pkg: string) => paths.some((p) => p === pkg || p.startsWith(pkg + path.sep));
    let any = false;
    for (const [key, s] of this.sources) if (inside(s.pkg)) any = this.sources.delete(key) || any;
    for (const pkg of this.transformers.keys()) if (inside(pkg)) any = this.transformers.delete(pkg) || any;
    return any;
  }

  /** Compares every read source with the disk now (for editors that cannot watch files); true when one changed. */
  recheck(): boolean {
    const stale = [...this.sources.values()].filter((s) => !this.unchanged(s.pkg, s.files)).map((s) => s.pkg);
    const tf = [...this.transformers].filter(([pkg, t]) => !this.unchanged(pkg, t.files)).map(([pkg]) => pkg);
    return this.filesChanged([...stale, ...tf]);
  }

  /** An explicit release or folder; `problem` says what was looked for when it is neither. */
  explicit(choice: ReleaseChoice, base: string): ResolvedRelease | { problem: string } {
    const value = choice.value;
    if (choice.via === '--lf-path' || looksLikePath(value)) {
      const folder = path.resolve(base, value.replace(/^~(?=$|[/\\])/, this.host.homeDir()));
      const pkg = packageIn(this.host, folder);
      if (!pkg) return { problem: t('{0}: no LLaMA-Factory in {1} (looked for src/llamafactory/hparams, llamafactory/hparams and hparams with extras/env.py).', choice.via, folder) };
      return { ...this.fromSource({ pkg, root: folder, source: 'checkout', via: choice.via }), source: 'setting' };
    }
    const index = bundled.indexOf(value);
    if (index < 0) return { problem: t('{0}: unknown LLaMA-Factory release "{1}". Known: {2}; or give a folder.', choice.via, value, bundled.names.join(', ')) };
    return this.bundledRelease(index, 'setting', choice.via);
  }

  private newest(): ResolvedRelease {
    return this.bundledRelease(bundled.indexOf(bundled.newest), 'bundled', t('newest bundled release'));
  }

  private bundledRelease(index: number, source: ReleaseSource, via: string): ResolvedRelease {
    const facts = bundled.facts(index);
    return { facts, source, via, schemas: releaseSchemas(facts) };
  }

  private fromSource(found: FoundSource): ResolvedRelease {
    const tf = this.installedTransformers(found);
    const facts = this.sourceFacts(found, tf?.path);
    const checkout = found.pkg === path.join(found.root, 'src', 'llamafactory') ? { checkout: found.root } : {};
    return { facts, source: found.source, via: found.via, path: found.root, ...checkout, ...(tf ? { transformers: tf } : {}), schemas: releaseSchemas(facts) };
  }

  /** The transformers beside a found source: in its environment, or for a checkout in the active one. */
  private installedTransformers(found: FoundSource): InstalledTransformers | undefined {
    const pkg = transformersIn(this.host, found.sitePackages) ?? this.environmentTransformers(found);
    if (!pkg) return undefined;
    return { version: transformersVersionIn(this.host, path.dirname(pkg)), path: pkg };
  }

  private sourceFacts(found: FoundSource, tfPkg: string | undefined): ReleaseFacts {
    const key = `${found.pkg}\0${tfPkg ?? ''}`;
    const hit = this.sources.get(key);
    const now = Date.now();
    if (hit && now - hit.checkedAt < RECHECK_MS) return hit.facts;
    const tfKeys = tfPkg ? this.transformersKeys(tfPkg) : undefined;
    if (hit && hit.tfKeys === tfKeys && this.unchanged(found.pkg, hit.files)) {
      hit.checkedAt = now;
      return hit.facts;
    }
    const { reader, files } = this.recordingReader(found.pkg);
    const src = extractSource(reader);
    const facts = factsFromSource(src, tfKeys ?? bundled.transformersKeys(src.transformersPin));
    this.sources.set(key, { pkg: found.pkg, files, facts, tfKeys, checkedAt: now });
    return facts;
  }

  /** transformers from the active environment, for a checkout found above the config. */
  private environmentTransformers(found: FoundSource): string | undefined {
    if (found.source !== 'checkout') return undefined;
    for (const env of environments(this.host, found.root)) {
      const installed = installedIn(this.host, env);
      const tf = transformersIn(this.host, installed?.sitePackages);
      if (tf) return tf;
    }
    return undefined;
  }

  private transformersKeys(pkg: string): ReadonlySet<string> {
    const hit = this.transformers.get(pkg);
    if (hit && this.unchanged(pkg, hit.files)) return hit.keys;
    const { reader, files } = this.recordingReader(pkg);
    const keys = new Set(extractTransformersKeys(reader));
    this.transformers.set(pkg, { files, keys });
    return keys;
  }

  /**
   * A reader over the host that remembers what it read, so a later change can be noticed. It reads
   * past the host's short-lived cache (readFileNow): a source is read when it is new or has changed,
   * and a copy from before the change would be kept until the next one.
   */
  private recordingReader(pkg: string): { reader: SourceReader; files: Map<string, Seen> } {
    const files = new Map<string, Seen>();
    const read = this.host.readFileNow ?? this.host.readFile;
    const reader: SourceReader = {
      read: (rel) => {
        const abs = path.join(pkg, rel);
        const stat = this.host.stat?.(abs);
        const text = read(abs);
        files.set(rel, stat ? { text, stat } : { text });
        return text;
      },
      list: (rel) => {
        const names = this.host.listDir(path.join(pkg, rel));
        files.set(`${rel}/`, { text: names.join('\n') });
        return names;
      },
    };
    return { reader, files };
  }

  /** Whether every file a source read is as it was: by size and time where the host can tell (no read), else by text. */
  private unchanged(pkg: string, files: Map<string, Seen>): boolean {
    for (const [rel, seen] of files) {
      if (rel.endsWith('/')) {
        if (this.host.listDir(path.join(pkg, rel.slice(0, -1))).join('\n') !== seen.text) return false;
        continue;
      }
      const abs = path.join(pkg, rel);
      const stat = seen.stat && this.host.stat?.(abs);
      if (seen.stat ? !stat || stat.size !== seen.stat.size || stat.mtimeMs !== seen.stat.mtimeMs : this.host.readFile(abs) !== seen.text) return false;
    }
    return true;
  }
}

const resolvers = new WeakMap<ServiceHost, ReleaseResolver>();

/** One resolver (and so one source cache) per host: per workspace in the server, per run in the CLI. */
export function releaseResolver(host: ServiceHost): ReleaseResolver {
  let r = resolvers.get(host);
  if (!r) resolvers.set(host, (r = new ReleaseResolver(host)));
  return r;
}
