import { z } from 'zod';
import type { FeatureFlagStore } from '../admin/flag-store.js';
import { route, type RouteSpec } from './route-spec.js';

/** What clients (the dashboard) read of the flags: key → enabled and value. */
export function flagRoutes(flags: FeatureFlagStore): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/flags',
      operationId: 'readFlags',
      summary: 'Feature flags as clients read them',
      tag: 'flags',
      scope: 'read',
      responses: {
        200: {
          description: 'flags by key',
          schema: z.object({
            flags: z.record(z.string(), z.object({ enabled: z.boolean(), value: z.unknown() })),
          }),
        },
      },
      handle: async () => ({
        body: {
          flags: Object.fromEntries(
            (await flags.list()).map((f) => [f.key, { enabled: f.enabled, value: f.value }]),
          ),
        },
      }),
    }),
  ];
}
