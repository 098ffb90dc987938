export interface StatusPageInput {
  startedAt: Date;
  services: string[];
  transport: string;
  dataDir: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain page that says what is running; the dashboard replaces it once the gateway exists. */
export function renderStatusPage(input: StatusPageInput): string {
  const services = input.services.length
    ? `<ul>${input.services.map((s) => `<li>${escape(s)}</li>`).join('')}</ul>`
    : '<p>No pipeline services are built yet: collector, normalizer, embedder, clusterer, query and gateway join this process as they land.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trendmill</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:0 .2em}</style></head>
<body><h1>Trendmill</h1>
<p>Embedded runtime, started ${escape(input.startedAt.toISOString())}. Broker: <code>${escape(input.transport)}</code>. Data: <code>${escape(input.dataDir)}</code>.</p>
<h2>Services</h2>${services}
<h2>Operate</h2>
<ul><li><a href="/healthz">/healthz</a> — alive</li><li><a href="/readyz">/readyz</a> — dependencies reachable</li><li><a href="/metrics">/metrics</a> — Prometheus metrics</li></ul>
</body></html>
`;
}
