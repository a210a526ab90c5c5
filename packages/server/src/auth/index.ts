import type { Store } from '@trove/store';
import { createAuditTrail } from './audit-trail.ts';
import type { AuthConfig } from './auth-config.ts';
import { createAuthorizer } from './authorizer.ts';
import { createGrantService } from './grant.service.ts';
import { createGuard } from './guard.ts';
import { createIdentityService } from './identity.service.ts';
import { LoginThrottle } from './login-throttle.ts';

/** Identity, authorization and audit, wired over one store. */
export function createAuth(store: Store, config: AuthConfig) {
  const identity = createIdentityService(store, config);
  const authorizer = createAuthorizer(store, config);
  const throttle = new LoginThrottle();
  const guard = createGuard(store, config, identity, authorizer, throttle);
  const audit = createAuditTrail(store);
  const grants = createGrantService(store, identity);
  return { config, identity, authorizer, guard, audit, grants, throttle };
}

export type Auth = ReturnType<typeof createAuth>;
