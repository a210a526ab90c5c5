import { describe, expect, it } from 'vitest';
import { loginPath, safeNextPath, ssoHref } from '../src/lib/sign-in-paths.ts';

describe('sign-in paths', () => {
  it('keeps a path of this site as next, with its query', () => {
    expect(safeNextPath('/experiments/3?col=a&col=b')).toBe('/experiments/3?col=a&col=b');
    expect(safeNextPath('/workspaces/team-b/models')).toBe('/workspaces/team-b/models');
  });

  it('refuses anything that could leave the site, and the login page itself', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
      '',
      null,
      undefined,
      '/login',
      '/login?next=/x',
    ])
      expect(safeNextPath(bad)).toBe('/');
  });

  it('builds the login page and single sign-on addresses', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/models/a b?x=1')).toBe('/login?next=%2Fmodels%2Fa%20b%3Fx%3D1');
    expect(ssoHref('/api/trove/v1/auth/sso/login', '/models')).toBe('/api/trove/v1/auth/sso/login?next=%2Fmodels');
    expect(ssoHref('/sso/start?provider=corp', '//evil')).toBe('/sso/start?provider=corp&next=%2F');
  });
});
