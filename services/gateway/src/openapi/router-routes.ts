import type { Router } from 'express';

/** A route an express router serves, as read from its stack. */
export interface ExtraRoute {
  method: string;
  path: string;
  tag: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** The routes an express router really serves, read from its stack (what tests compare the route table with). */
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
