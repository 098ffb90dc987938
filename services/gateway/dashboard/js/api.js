const KEY_STORAGE = 'trendmill.apiKey';

/** An API answer other than 2xx, with the gateway's `{ error: { code, message } }` fields. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The key for this tab only: session storage dies with the tab and is never sent anywhere else. */
export const keyStore = {
  get: () => sessionStorage.getItem(KEY_STORAGE) ?? undefined,
  set: (key) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

/** GET /api/v1 + path with the key; query values that are undefined are left out. */
export async function apiGet(path, query = {}, { key = keyStore.get(), signal } = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, String(value));
  const qs = params.toString();
  const res = await fetch(`/api/v1${path}${qs ? `?${qs}` : ''}`, {
    headers: { authorization: `Bearer ${key ?? ''}`, accept: 'application/json' },
    cache: 'no-store',
    signal,
  });
  if (res.ok) return res.json();
  let code = 'http_error';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = await res.json();
    if (body?.error) ({ code, message } = body.error);
  } catch {
    // not JSON: keep the status line
  }
  throw new ApiError(res.status, code, message);
}

/** Runs `task` over `values` with at most `limit` in flight (keeps bursts under the rate limit). */
export async function mapLimited(values, limit, task) {
  const results = new Array(values.length);
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const index = next++;
      results[index] = await task(values[index], index).catch((error) => ({ error }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return results;
}
