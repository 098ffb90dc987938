import type { Router } from 'express';
import type { ExtraRoute } from './document.js';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** The routes an express router really serves, read from its stack (for routers not built from specs). */
export function routesOf(router: Router, tag: string): ExtraRoute[] {
  const routes: ExtraRoute[] = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths)
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') routes.push({ method, path, tag });
  }
  return routes;
}
