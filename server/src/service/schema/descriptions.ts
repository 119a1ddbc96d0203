// Key descriptions in the active language. The generated schemas carry the
// English description followed by a facts line (type, default, choices) so
// that Red Hat YAML shows them as they are; hover swaps the English part for
// the translation and labels the facts line in the same language.
import v0En from '../../../../schemas/src/descriptions.en.json';
import v0Ko from '../../../../schemas/src/descriptions.ko.json';
import v0ZhCn from '../../../../schemas/src/descriptions.zh-cn.json';
import v1En from '../../../../schemas/src/descriptions-v1.en.json';
import v1Ko from '../../../../schemas/src/descriptions-v1.ko.json';
import v1ZhCn from '../../../../schemas/src/descriptions-v1.zh-cn.json';
import { getLocale, t } from '../l10n';
import type { Locale } from '../l10n';
import type { ConfigKind } from '../types';

type Table = Record<string, string>;
const tables: Record<'v0' | 'v1', Record<Locale, Table>> = {
  v0: { en: v0En, ko: v0Ko, 'zh-cn': v0ZhCn },
  v1: { en: v1En, ko: v1Ko, 'zh-cn': v1ZhCn },
};

/** `markdown` (a schema markdownDescription for `key`, dotted for v1 sub-keys) in the active language. */
export function localizedDescription(key: string, markdown: string, kind: ConfigKind): string {
  const locale = getLocale();
  if (locale === 'en') return markdown;
  const table = tables[kind === 'llamafactory-v1' ? 'v1' : 'v0'];
  const own = table.en[key];
  const local = table[locale][key];
  const described = own !== undefined && local !== undefined && markdown.startsWith(own);
  const facts = described ? markdown.slice(own.length) : markdown;
  const labels: Record<string, string> = { Type: t('Type:'), Default: t('Default:'), Choices: t('Choices:'), Names: t('Names:') };
  // Full-width colons (Chinese) carry their own spacing.
  const localFacts = facts
    .replace('mapping with `name` (or a JSON string)', t('mapping with `name` (or a JSON string)'))
    .replace(/(^|\n\n|· )(Type|Default|Choices|Names): /g, (_m, lead: string, label: string) => `${lead}${labels[label]}${labels[label].endsWith('：') ? '' : ' '}`);
  return described ? local + localFacts : localFacts;
}
