// Hugging Face Hub lookups: config.json of models the caches and the catalog
// do not know, and the API's card data of hub datasets. The language service
// asks only for documents whose own settings turn `llamafactory.hubLookup` on
// (the server turns it off in an untrusted workspace). A lookup never blocks
// analysis: the first request starts a background fetch and the caller
// re-validates when it lands.
const TIMEOUT_MS = 8000;
const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HubTexts {
  /** The fetched text, or undefined (and a fetch starts, once per id). */
  get(id: string): string | undefined;
}

function createHubTexts(urlOf: (id: string) => string, onFetched: () => void): HubTexts {
  const cache = new Map<string, string | null>();
  return {
    get(id) {
      const hit = cache.get(id);
      if (hit !== undefined) return hit ?? undefined;
      cache.set(id, null);
      void fetch(urlOf(id), { signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then(async (res) => {
          if (!res.ok) return;
          cache.set(id, await res.text());
          onFetched();
        })
        .catch(() => undefined);
      return undefined;
    },
  };
}

/** A model's config.json. */
export function createHubConfigs(onFetched: () => void, endpoint = process.env.HF_ENDPOINT ?? DEFAULT_ENDPOINT): HubTexts {
  return createHubTexts((id) => `${endpoint}/${id}/resolve/main/config.json`, onFetched);
}

/** A dataset's API record (card metadata, tags, downloads). */
export function createHubDatasets(onFetched: () => void, endpoint = process.env.HF_ENDPOINT ?? DEFAULT_ENDPOINT): HubTexts {
  return createHubTexts((id) => `${endpoint}/api/datasets/${id}`, onFetched);
}
