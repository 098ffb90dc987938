import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Trendmill API</title>
<link rel="stylesheet" href="assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="assets/swagger-ui-bundle.js"></script>
<script src="init.js"></script>
</body>
</html>
`;

/**
 * Swagger UI from the locally installed swagger-ui-dist (no CDN), started by a script file rather
 * than an inline one so the page runs under a CSP without 'unsafe-inline' scripts.
 */
export function swaggerUi(specUrl: string): Router {
  const router = Router();
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  router.get('/', (req, res) => {
    // Relative asset URLs need the trailing slash.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(301, `${req.baseUrl}/`);
      return;
    }
    res.type('html').send(PAGE);
  });
  router.get('/init.js', (_req, res) => {
    res
      .type('js')
      .send(
        `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#swagger-ui', deepLinking: true });\n`,
      );
  });
  router.use('/assets', express.static(assets, { index: false, maxAge: '1d' }));
  return router;
}
