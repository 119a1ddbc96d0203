// Hugging Face Hub lookups of config.json, for models the caches and the
// catalog do not know. The language service asks only for documents whose own
// settings turn `llamafactory.hubLookup` on (the server turns it off in an
// untrusted workspace). A lookup never blocks analysis: the first request
// starts a background fetch and the caller re-validates when it lands.
const TIMEOUT_MS = 8000;

export interface HubConfigs {
  /** The fetched text, or undefined (and a fetch starts, once per id). */
  get(modelId: string): string | undefined;
}

export function createHubConfigs(onFetched: () => void, endpoint = process.env.HF_ENDPOINT ?? 'https://huggingface.co'): HubConfigs {
  const cache = new Map<string, string | null>();
  return {
    get(modelId) {
      const hit = cache.get(modelId);
      if (hit !== undefined) return hit ?? undefined;
      cache.set(modelId, null);
      void fetch(`${endpoint}/${modelId}/resolve/main/config.json`, { signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then(async (res) => {
          if (!res.ok) return;
          cache.set(modelId, await res.text());
          onFetched();
        })
        .catch(() => undefined);
      return undefined;
    },
  };
}
