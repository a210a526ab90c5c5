import { describe, expect, it } from 'vitest';
import { groupsOf, usernameBase } from '../src/auth/sso-accounts.ts';

describe('SSO claims', () => {
  it('reads groups from a list, one string, or a dotted path into nested claims', () => {
    expect(groupsOf({ sub: 's', groups: ['a', ' b ', 'a', '', 3] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsOf({ sub: 's', groups: 'solo' }, 'groups')).toEqual(['solo']);
    expect(groupsOf({ sub: 's', realm_access: { roles: ['x', 'y'] } }, 'realm_access.roles')).toEqual(['x', 'y']);
    expect(groupsOf({ sub: 's', 'https://acme/groups': ['z'] }, 'https://acme/groups')).toEqual(['z']);
    expect(groupsOf({ sub: 's' }, 'groups')).toBeUndefined();
  });

  it("names a user from preferred_username, else email, else subject, as Trove's usernames allow", () => {
    expect(usernameBase({ sub: 's', preferred_username: 'alice', email: 'a@x' })).toBe('alice');
    expect(usernameBase({ sub: 's', preferred_username: ' ', email: 'a@x' })).toBe('a@x');
    expect(usernameBase({ sub: 'github|42' })).toBe('github|42');
    expect(usernameBase({ sub: 's', preferred_username: 'org:team\u0007me' })).toBe('orgteamme');
    expect(usernameBase({ sub: 's', preferred_username: 'x'.repeat(300) })).toHaveLength(200);
  });
});
