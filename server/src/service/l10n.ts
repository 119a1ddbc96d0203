// Message catalogs, the @vscode/l10n way: the English text is the key, and a
// catalog maps it to the translation. The server and the CLI each speak one
// language per process, so the active locale is module state set once at
// start-up (from InitializeParams.locale, --locale or LANG); everything else
// in the service stays pure. Missing entries fall back to English.
import ko from '../../../l10n/bundle.l10n.ko.json';
import { agreeParticles, markParticlesAfterPlaceholders } from './text/particles';
import zhCn from '../../../l10n/bundle.l10n.zh-cn.json';

export type Locale = 'en' | 'ko' | 'zh-cn';

export const LOCALES: readonly Locale[] = ['en', 'ko', 'zh-cn'];

const catalogs: Record<Locale, Record<string, string>> = { en: {}, ko, 'zh-cn': zhCn };

let active: Locale = 'en';

/** The supported locale closest to a BCP 47 tag or POSIX locale (`ko-KR`, `zh_CN.UTF-8`, `zh-Hans`); English otherwise. */
export function normalizeLocale(tag: string | undefined): Locale {
  const t = (tag ?? '').trim().toLowerCase().replace(/_/g, '-').replace(/[.@].*$/, '');
  if (t === 'ko' || t.startsWith('ko-')) return 'ko';
  if (t === 'zh' || t === 'zh-cn' || t === 'zh-sg' || t.startsWith('zh-hans')) return 'zh-cn';
  return 'en';
}

/** Makes `locale` (normalised) the language of every later `t` call; returns the locale chosen. */
export function setLocale(locale: string | undefined): Locale {
  active = normalizeLocale(locale);
  return active;
}

export function getLocale(): Locale {
  return active;
}

/** The English template `message` in the active language, with `{0}`, `{1}`, ... replaced by `args`. */
export function t(message: string, ...args: (string | number)[]): string {
  return format(catalogs[active][message] ?? message, ...args);
}

/**
 * A template already in the active language (from a catalog) with `{0}`, `{1}`, ... replaced by
 * `args`. In Korean the particles then agree with the words before them, which for a placeholder
 * is known only now (`{0}을(를)` → `bf16을`, `model을`, `GPU를`).
 */
export function format(template: string, ...args: (string | number)[]): string {
  const ko = active === 'ko';
  const local = ko ? koTemplate(template) : template;
  let out = args.length === 0 ? local : '';
  if (args.length > 0) for (const part of partsOf(local)) out += typeof part === 'string' ? part : part < args.length ? String(args[part]) : `{${part}}`;
  return ko ? agreeParticles(out) : out;
}

const koTemplates = new Map<string, string>();

/** The template with the particles after its placeholders marked for agreement, once per template. */
function koTemplate(template: string): string {
  let marked = koTemplates.get(template);
  if (marked === undefined) koTemplates.set(template, (marked = markParticlesAfterPlaceholders(template)));
  return marked;
}

const splitTemplates = new Map<string, (string | number)[]>();

/** A template cut into text and placeholder numbers, once: a long file can produce thousands of the same message. */
function partsOf(template: string): (string | number)[] {
  let parts = splitTemplates.get(template);
  if (!parts) {
    parts = template.split(/\{(\d+)\}/).map((p, i) => (i % 2 === 1 ? Number(p) : p));
    splitTemplates.set(template, parts);
  }
  return parts;
}

/** " Did you mean `x`?" in the active language, or nothing when there is no suggestion. */
export function didYouMeanText(suggestion: string | undefined): string {
  return suggestion ? ` ${t('Did you mean `{0}`?', suggestion)}` : '';
}
