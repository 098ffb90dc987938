/** Calls to the gateway's public API with the bench's admin key; network errors become status 0. */
export interface Gateway {
  base: string;
  key: string;
}

export async function call<T>(
  gw: Gateway,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T | undefined }> {
  try {
    const res = await fetch(`${gw.base}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: T | undefined;
    try {
      body = JSON.parse(text) as T;
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: undefined };
  }
}
