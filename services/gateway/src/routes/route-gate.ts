import { Router, type NextFunction, type Request, type Response } from 'express';
import { ApiError } from '@trendmill/platform';
import type { RouteSpec } from './route-spec.js';

/**
 * Mounted before authentication: a path the API does not have is 404 `not_found` whether or not
 * a key came with it (auth applies to existing routes), and a known path asked with a method it
 * does not serve is 405 `method_not_allowed` with `Allow`. Known routes pass on untouched.
 */
export function routeGate(specs: readonly RouteSpec[]): Router {
  const methodsByPath = new Map<string, Set<string>>();
  for (const spec of specs) {
    const methods = methodsByPath.get(spec.path) ?? new Set<string>();
    methods.add(spec.method.toUpperCase());
    if (spec.method === 'get') methods.add('HEAD');
    methodsByPath.set(spec.path, methods);
  }
  const gate = Router();
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods].sort().join(', ');
    gate.all(path, (req: Request, _res: Response, next: NextFunction) => {
      // OPTIONS goes on to CORS preflight handling and express's own Allow answer.
      if (methods.has(req.method) || req.method === 'OPTIONS') return next('router');
      throw new ApiError(
        405,
        'method_not_allowed',
        `${req.method} is not served on this path`,
        { allow },
        {
          allow,
        },
      );
    });
  }
  gate.use((req: Request) => {
    throw new ApiError(404, 'not_found', `no route ${req.method} ${req.baseUrl}${req.path}`);
  });
  return gate;
}
