const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const SAFE_PROTOCOLS = new Set(['http:', 'https:']);

/** The URL as an absolute string when it is one, else null. */
export function absoluteUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

/**
 * A link from a feed made absolute against `base` (the feed URL, or an `xml:base` already resolved
 * against it). Links that end up with a scheme other than http(s) (`javascript:`, `data:`, `file:`)
 * are dropped, since they travel on to pages people click. Without a usable base a relative link is
 * kept as written, because nothing better is known.
 */
export function resolveLink(raw: string | null | undefined, base?: string | null): string | null {
  const link = raw?.trim();
  if (!link) return null;
  const usableBase = absoluteUrl(base);
  let resolved: URL;
  try {
    resolved = usableBase ? new URL(link, usableBase) : new URL(link);
  } catch {
    // Against a usable base, a link that does not resolve (a NUL in its host, say) is no link.
    return usableBase || SCHEME.test(link) ? null : link;
  }
  return SAFE_PROTOCOLS.has(resolved.protocol) ? resolved.href : null;
}
