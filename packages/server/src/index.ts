export { type AppDeps, createApp } from './app.ts';
export { createAuth } from './auth/index.ts';
export { parseServerConfig, type ServerConfig, type ServerConfigInput } from './config.ts';
export { MLFLOW_COMPAT_VERSION } from './routes/system.routes.ts';
export { encryptWebhookSecrets } from './webhooks/webhook-secrets.ts';
