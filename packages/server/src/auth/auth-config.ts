import { PERMISSIONS, type PermissionName, ROLES, type Role } from './levels.ts';
import { readSsoConfig, type SsoConfig } from './sso-config.ts';

export interface AuthConfig {
  /** Every request must prove an identity and pass the authorizer (`--app-name basic-auth`, `--auth`, `TROVE_AUTH=on`). */
  readonly enabled: boolean;
  /** The permission on an experiment or registered model that nobody granted (MLflow's `default_permission`, READ). */
  readonly defaultPermission: PermissionName;
  /** The workspace role of a user who is no member of the workspace: `editor` lets anyone create, as MLflow does. */
  readonly defaultRole: Role | 'none';
  /** The first admin, from `TROVE_ADMIN_USERNAME` and `TROVE_ADMIN_PASSWORD`; there is no built-in one. */
  readonly bootstrapAdmin: { username: string; password: string } | undefined;
  /** `--insecure-no-auth`: serve a non-loopback address with auth off, knowingly. */
  readonly insecureNoAuth: boolean;
  readonly sessionTtlMs: number;
  /** How long a verified credential is trusted without asking the database again. */
  readonly credentialCacheMs: number;
  /** Single sign-on through OpenID Connect (`TROVE_OIDC_*`, see `sso-config.ts`); undefined when not configured. */
  readonly sso: SsoConfig | undefined;
}

export interface AuthConfigInput {
  auth?: boolean;
  appName?: string;
  insecureNoAuth?: boolean;
  /** `--static-prefix`, normalised: the SSO sign-in path lives under it. */
  staticPrefix?: string;
}

const APP_NAMES = ['basic-auth'];

export function readAuthConfig(input: AuthConfigInput, env: NodeJS.ProcessEnv, problems: string[]): AuthConfig {
  if (input.appName !== undefined && !APP_NAMES.includes(input.appName))
    problems.push(`--app-name must be one of: ${APP_NAMES.join(', ')}; got ${input.appName}`);
  const enabled = input.auth ?? (input.appName === 'basic-auth' || ['on', 'true', '1'].includes(env.TROVE_AUTH ?? ''));
  const defaultPermission = (env.TROVE_AUTH_DEFAULT_PERMISSION ?? 'READ') as PermissionName;
  if (!PERMISSIONS.includes(defaultPermission))
    problems.push(`TROVE_AUTH_DEFAULT_PERMISSION must be one of ${PERMISSIONS.join(', ')}, got ${defaultPermission}`);
  const defaultRole = (env.TROVE_AUTH_DEFAULT_ROLE ?? 'editor') as Role | 'none';
  if (defaultRole !== 'none' && !ROLES.includes(defaultRole))
    problems.push(`TROVE_AUTH_DEFAULT_ROLE must be one of none, ${ROLES.join(', ')}, got ${defaultRole}`);
  const username = env.TROVE_ADMIN_USERNAME;
  const password = env.TROVE_ADMIN_PASSWORD;
  if ((username && !password) || (!username && password))
    problems.push('TROVE_ADMIN_USERNAME and TROVE_ADMIN_PASSWORD must be given together');
  const sessionHours = Number(env.TROVE_SESSION_HOURS ?? 12);
  if (!(sessionHours > 0))
    problems.push(`TROVE_SESSION_HOURS must be a positive number, got ${env.TROVE_SESSION_HOURS}`);
  return Object.freeze({
    enabled,
    defaultPermission,
    defaultRole,
    bootstrapAdmin: username && password ? { username, password } : undefined,
    insecureNoAuth: input.insecureNoAuth ?? env.TROVE_INSECURE_NO_AUTH === 'true',
    sessionTtlMs: sessionHours * 3_600_000,
    credentialCacheMs: Number(env.TROVE_CREDENTIAL_CACHE_MS ?? 30_000),
    sso: readSsoConfig(env, { authEnabled: enabled, staticPrefix: input.staticPrefix ?? '' }, problems),
  });
}

/** Loopback addresses, where an unauthenticated server is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
