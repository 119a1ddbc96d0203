// What the Hugging Face Hub says about a hub dataset, read from the JSON of
// its API (`/api/datasets/<id>`: the card's metadata in `cardData`, the card
// tags, downloads), which the host fetches in the background only when the
// user turned Hub lookups on in a trusted workspace. Nothing here fetches.
import type { ServiceHost } from '../../types';

export interface HubCard {
  id: string;
  prettyName?: string;
  license?: string;
  /** The card's size category, e.g. "10K<n<100K" rows. */
  sizeCategory?: string;
  downloads?: number;
  /** The card's description, cut to its first sentence (at most 240 characters). */
  description?: string;
  gated: boolean;
}

const MAX_DESCRIPTION = 240;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The first of a string or a list of strings. */
function first(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined;
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end >= 0 ? flat.slice(0, end + 1) : flat;
  return sentence.length > MAX_DESCRIPTION ? `${sentence.slice(0, MAX_DESCRIPTION - 1)}…` : sentence;
}

/** The card of Hub dataset `id` as far as the host has fetched it; undefined when lookups are off, pending, or the answer is not the API's JSON. */
export function hubCard(host: ServiceHost, id: string): HubCard | undefined {
  const text = host.hubDataset?.(id);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(json)) return undefined;
  const card = isObject(json.cardData) ? json.cardData : {};
  const tags = Array.isArray(json.tags) ? json.tags.filter((x): x is string => typeof x === 'string') : [];
  const tagged = (prefix: string) => tags.find((x) => x.startsWith(prefix))?.slice(prefix.length);
  const description = first(json.description);
  return {
    id,
    prettyName: first(card.pretty_name),
    license: first(card.license) ?? tagged('license:'),
    sizeCategory: first(card.size_categories) ?? tagged('size_categories:'),
    downloads: typeof json.downloads === 'number' ? json.downloads : undefined,
    description: description ? firstSentence(description) : undefined,
    gated: json.gated !== undefined && json.gated !== false,
  };
}
