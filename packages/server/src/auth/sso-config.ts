import { isLoopbackHost } from './auth-config.ts';
import { ROLES, type Role } from './levels.ts';

export const SSO_LOGIN_PATH = '/api/trove/v1/auth/sso/login';
export const SSO_CALLBACK_PATH = '/api/trove/v1/auth/sso/callback';

/** `group:role` or `group@workspace:role` of `TROVE_OIDC_ROLE_MAP`: members of the group get the role there. */
export interface SsoRoleMapping {
  group: string;
  workspace: string;
  role: Role;
}

/** Single sign-on through an OpenID Connect provider (`TROVE_OIDC_*`); undefined when not configured. */
export interface SsoConfig {
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the provider sends the browser back: this server's callback, as the browser reaches it. */
  readonly redirectUrl: URL;
  readonly scopes: string;
  /** The claim that lists the user's groups; undefined: memberships are managed in Trove, not synced. */
  readonly groupsClaim: string | undefined;
  /** Members of any of these groups are server admins, others are not. */
  readonly adminGroups: readonly string[];
  readonly roleMap: readonly SsoRoleMapping[];
  /** The sign-in button's label. */
  readonly name: string;
  /** The path a browser opens to sign in (with `--static-prefix`). */
  readonly loginPath: string;
}

const DEFAULT_WORKSPACE = 'default';
const WORKSPACE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function parseUrl(name: string, value: string, problems: string[]): URL | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {}
  problems.push(`${name} must be an http(s) URL, got ${value}`);
  return undefined;
}

/** `ml-team:editor,ml-leads@prod:manager`: the role is after the last ':', a workspace after the last '@'. */
function parseRoleMap(value: string | undefined, problems: string[]): SsoRoleMapping[] {
  const out: SsoRoleMapping[] = [];
  for (const entry of list(value)) {
    const colon = entry.lastIndexOf(':');
    const role = entry.slice(colon + 1).trim() as Role;
    const target = colon < 0 ? '' : entry.slice(0, colon);
    const at = target.lastIndexOf('@');
    const group = (at < 0 ? target : target.slice(0, at)).trim();
    const workspace = at < 0 ? DEFAULT_WORKSPACE : target.slice(at + 1).trim();
    if (colon < 0 || group === '' || !ROLES.includes(role) || !WORKSPACE_NAME.test(workspace)) {
      problems.push(
        `TROVE_OIDC_ROLE_MAP entry '${entry}' must be group:role or group@workspace:role, role one of ${ROLES.join(', ')}`,
      );
      continue;
    }
    if (out.some((m) => m.group === group && m.workspace === workspace))
      problems.push(`TROVE_OIDC_ROLE_MAP maps group '${group}' in workspace '${workspace}' twice`);
    out.push({ group, workspace, role });
  }
  return out;
}

function redirectUrlOf(env: NodeJS.ProcessEnv, problems: string[]): URL | undefined {
  const explicit = env.TROVE_OIDC_REDIRECT_URL;
  if (explicit) {
    const url = parseUrl('TROVE_OIDC_REDIRECT_URL', explicit, problems);
    if (url && !url.pathname.endsWith(SSO_CALLBACK_PATH))
      problems.push(
        `TROVE_OIDC_REDIRECT_URL must end with ${SSO_CALLBACK_PATH} (this server's callback), got ${explicit}`,
      );
    return url;
  }
  const base = env.TROVE_PUBLIC_URL;
  if (base) return parseUrl('TROVE_PUBLIC_URL', base.replace(/\/+$/, '') + SSO_CALLBACK_PATH, problems);
  // Never guessed from the request's Host header, which the client chooses.
  problems.push(
    "Single sign-on needs this server's public address: set TROVE_PUBLIC_URL (e.g. https://trove.example.com) " +
      `or TROVE_OIDC_REDIRECT_URL (…${SSO_CALLBACK_PATH})`,
  );
  return undefined;
}

/** Reads `TROVE_OIDC_*`; every problem goes to `problems`, reported with the rest of the configuration's. */
export function readSsoConfig(
  env: NodeJS.ProcessEnv,
  server: { authEnabled: boolean; staticPrefix: string },
  problems: string[],
): SsoConfig | undefined {
  const issuerText = env.TROVE_OIDC_ISSUER;
  if (!issuerText) {
    const stray = Object.keys(env).filter((k) => k.startsWith('TROVE_OIDC_') && env[k]);
    if (stray.length > 0) problems.push(`${stray.join(', ')} set without TROVE_OIDC_ISSUER: single sign-on is off`);
    return undefined;
  }
  const before = problems.length;
  if (!server.authEnabled)
    problems.push(
      'TROVE_OIDC_ISSUER: single sign-on needs authentication on (--app-name basic-auth, --auth or TROVE_AUTH=on)',
    );
  const issuer = parseUrl('TROVE_OIDC_ISSUER', issuerText, problems);
  // Plain HTTP lets anyone on the path forge the provider's answers: only a provider on this machine may use it.
  if (issuer?.protocol === 'http:' && !isLoopbackHost(issuer.hostname.replace(/^\[|\]$/g, '')))
    problems.push(`TROVE_OIDC_ISSUER must use https (plain http only on loopback), got ${issuerText}`);
  const clientId = env.TROVE_OIDC_CLIENT_ID ?? '';
  if (clientId === '') problems.push('TROVE_OIDC_CLIENT_ID is required with TROVE_OIDC_ISSUER');
  const clientSecret = env.TROVE_OIDC_CLIENT_SECRET ?? '';
  if (clientSecret === '') problems.push('TROVE_OIDC_CLIENT_SECRET is required with TROVE_OIDC_ISSUER');
  const redirectUrl = redirectUrlOf(env, problems);
  const scopes = (env.TROVE_OIDC_SCOPES ?? 'openid profile email groups').trim().split(/\s+/).join(' ');
  if (!scopes.split(' ').includes('openid'))
    problems.push(`TROVE_OIDC_SCOPES must include openid, got '${env.TROVE_OIDC_SCOPES}'`);
  const groupsClaim = (env.TROVE_OIDC_GROUPS_CLAIM ?? 'groups').trim() || undefined;
  const adminGroups = list(env.TROVE_OIDC_ADMIN_GROUPS);
  const roleMap = parseRoleMap(env.TROVE_OIDC_ROLE_MAP, problems);
  if (groupsClaim === undefined && (adminGroups.length > 0 || roleMap.length > 0))
    problems.push(
      'TROVE_OIDC_ADMIN_GROUPS and TROVE_OIDC_ROLE_MAP need a groups claim (TROVE_OIDC_GROUPS_CLAIM is empty)',
    );
  if (problems.length > before || !issuer || !redirectUrl) return undefined;
  return Object.freeze({
    issuer,
    clientId,
    clientSecret,
    redirectUrl,
    scopes,
    groupsClaim,
    adminGroups: Object.freeze(adminGroups),
    roleMap: Object.freeze(roleMap),
    name: env.TROVE_OIDC_NAME?.trim() || 'Single sign-on',
    loginPath: server.staticPrefix + SSO_LOGIN_PATH,
  });
}
