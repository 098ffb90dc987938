import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import { fileURLToPath } from 'node:url';

/** The dashboard's files: plain HTML, CSS and ES modules, served as they are (no build step). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard', import.meta.url));

export interface DashboardOptions {
  /** Folder to serve (default DASHBOARD_DIR). */
  dir?: string;
}

/**
 * Same-origin only: the page runs its own module files and talks to /api/v1; nothing inline, no
 * third-party origin, no framing. Item and topic text is inserted as text by the scripts, and
 * this policy is the second line should a bug ever insert markup.
 */
export function dashboardSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/**
 * The live dashboard: `GET /` is the page, `/dashboard/*` its assets. Mount it at the root before
 * the 404 handler; requests it does not serve pass through untouched.
 */
export function dashboardRouter(options: DashboardOptions = {}): Router {
  const dir = options.dir ?? DASHBOARD_DIR;
  const router = Router();
  const headers = dashboardSecurityHeaders();
  // Revalidated on every load (ETag), so a new release is picked up without a hard refresh.
  const files = express.static(dir, {
    index: false,
    dotfiles: 'ignore',
    redirect: false,
    fallthrough: true,
    setHeaders: (res) => res.setHeader('cache-control', 'no-cache'),
  });

  router.get(['/', '/index.html'], headers, (_req, res, next) => {
    res.setHeader('cache-control', 'no-cache');
    res.sendFile('index.html', { root: dir, dotfiles: 'deny' }, (err) => {
      if (err) next(err);
    });
  });
  router.use('/dashboard', headers, (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    files(req, res, next);
  });
  return router;
}
