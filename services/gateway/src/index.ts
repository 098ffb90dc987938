// The public entry point of @trendmill/gateway.
export {
  createGatewayApp,
  API_VERSION,
  type GatewayApp,
  type GatewayAppDeps,
  type GatewaySettings,
} from './app.js';
export {
  createGatewayService,
  GATEWAY_MIGRATIONS_DIR,
  type GatewayPorts,
  type GatewayService,
  type GatewayServiceSettings,
} from './service.js';
export { gatewayConfig, type GatewayConfig } from './config.js';
export { ApiKeyStore, type ApiKeyView, type AuthenticatedKey } from './auth/api-key-store.js';
export { ensureLocalApiKey, ensureLocalKey, LOCAL_KEY_FILE } from './auth/local-key.js';
export {
  ensureLocalSecretKey,
  parseSecretKey,
  WEBHOOK_SECRET_KEY_FILE,
} from './subscriptions/webhooks/secret-box.js';
export { SCOPES, parseScopes, type Scope } from './auth/scopes.js';
export type { CollectorTarget } from './routes/collector-forwarder.js';
export type { RouteSpec } from './routes/route-spec.js';
export { buildOpenApi, type OpenApiDocument } from './openapi/document.js';
export { embedderInfoOverHttp } from './admin/system-status.js';
export { PrismaClient as GatewayPrismaClient } from './store/prisma.js';
