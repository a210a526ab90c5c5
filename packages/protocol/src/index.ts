export * from './errors.ts';
export * from './json.ts';
export * from './limits.ts';
export * from './message.ts';
export * from './mlflow/entities.ts';
export * from './mlflow/enums.ts';
export * as Tracking from './mlflow/tracking.requests.ts';
export * as Registry from './mlflow/registry.requests.ts';
export * from './validation.ts';
