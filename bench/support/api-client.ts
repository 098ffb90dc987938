/** A gateway client for the benches: bearer key, JSON in and out, the status beside the body. */
export class ApiClient {
  constructor(
    readonly base: string,
    private readonly key: string,
  ) {}

  async call<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** Like call, but a dropped connection (a busy host) is one more try, not a failure: for GETs. */
  async get<T>(path: string, tries = 3): Promise<{ status: number; body: T }> {
    for (let i = 1; ; i++) {
      try {
        return await this.call<T>(path);
      } catch (err) {
        if (i >= tries) throw err;
        await new Promise((r) => setTimeout(r, 200 * i));
      }
    }
  }

  async post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
    return this.call<T>(path, { method: 'POST', body: JSON.stringify(body) });
  }
}
