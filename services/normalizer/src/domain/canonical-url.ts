/**
 * Query parameters that say how a reader arrived, not what they are reading. Matched on the lower-cased
 * name; the prefixes cover whole families (utm_source, utm_medium, ..., pk_campaign, hsa_acc, ...).
 * Generic names that sites also use for content (`ref`, `source`, `id`, `si`) are deliberately absent.
 */
export const TRACKING_PARAMETERS: ReadonlySet<string> = new Set([
  // Google Ads / Analytics, DoubleClick
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  '_ga',
  '_gl',
  // Meta, Instagram
  'fbclid',
  'igshid',
  'igsh',
  // Microsoft Ads, MSN
  'msclkid',
  'ocid',
  // Mailchimp
  'mc_cid',
  'mc_eid',
  // HubSpot
  '_hsenc',
  '_hsmi',
  '__hstc',
  '__hssc',
  '__hsfp',
  'hsctatracking',
  // Yandex
  'yclid',
  'ysclid',
  '_openstat',
  // Twitter / X, TikTok, LinkedIn
  'ref_src',
  'ref_url',
  'twclid',
  'ttclid',
  'li_fat_id',
  'trk',
  'trkcampaign',
  // Marketo, Oracle Eloqua, Adobe, Vero, Omeda, Wicked Reports, Yahoo, others
  'mkt_tok',
  'elqtrackid',
  'elqtrack',
  's_cid',
  'vero_id',
  'vero_conv',
  'oly_anon_id',
  'oly_enc_id',
  'wickedid',
  'rb_clickid',
  'ncid',
  'cmpid',
  'sr_share',
  'spm',
  'scid',
]);

export const TRACKING_PARAMETER_PREFIXES: readonly string[] = ['utm_', 'pk_', 'mtm_', 'hsa_', 'matomo_'];

export function isTrackingParameter(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMETERS.has(key) || TRACKING_PARAMETER_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * The absolute http(s) URL `raw` points to (resolved against `base` when relative), or undefined.
 * Never throws.
 */
export function absoluteUrl(raw: string | null | undefined, base?: string | null): URL | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  try {
    const url = base ? new URL(raw.trim(), base) : new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One spelling per page, so the same story reached through different links compares equal:
 * resolved against `base`; http(s) only; scheme and host lower-case (WHATWG URL parsing also drops the
 * default port and resolves dot segments); no credentials, no fragment, no trailing dot on the host;
 * tracking parameters removed; the other parameters sorted by name (stable, so repeated names keep
 * their order) and kept byte for byte; no bare `?`. The path keeps its case (servers may honour it).
 * Invalid or non-http(s) input gives undefined, never a throw. Idempotent.
 */
export function canonicalUrl(raw: string | null | undefined, base?: string | null): string | undefined {
  const url = absoluteUrl(raw, base);
  if (!url) return undefined;
  url.username = '';
  url.password = '';
  url.hash = '';
  const host = url.hostname.replace(/\.+$/, '');
  if (host === '') return undefined;
  if (host !== url.hostname) url.hostname = host;
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParameter(parameterName(pair)))
    .map((pair, order) => ({ pair, name: parameterName(pair), order }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.order - b.order))
    .map(({ pair }) => pair);
  url.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  return url.href;
}

function parameterName(pair: string): string {
  const raw = pair.split('=', 1)[0]!.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
