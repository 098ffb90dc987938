import express, { type Express } from 'express';
import type { CollectorService } from '../service/collector-service.js';
import { collectorRouter, type CollectorRouterOptions } from './router.js';

/** The collector's API as an express app, under `/api/v1` (what the gateway will front). */
export function createCollectorApp(service: CollectorService, options: CollectorRouterOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use('/api/v1', collectorRouter(service, options));
  return app;
}
