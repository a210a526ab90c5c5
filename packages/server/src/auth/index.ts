import type { Store } from '@trove/store';
import { createAuditTrail } from './audit-trail.ts';
import type { AuthConfig } from './auth-config.ts';
import { createAuthorizer } from './authorizer.ts';
import { createGrantService } from './grant.service.ts';
import { createGuard } from './guard.ts';
import { createIdentityService } from './identity.service.ts';
import { LoginThrottle } from './login-throttle.ts';
import { createApproverCheck } from './review-approvers.ts';

/** Identity, authorization and audit, wired over one store. */
export function createAuth(store: Store, config: AuthConfig) {
  const authorizer = createAuthorizer(store, config);
  const identity = createIdentityService(store, config, authorizer.forget);
  const throttle = new LoginThrottle();
  const guard = createGuard(store, config, identity, authorizer, throttle);
  const audit = createAuditTrail(store, config.enabled);
  const grants = createGrantService(store, identity, authorizer.forget);
  const approvers = createApproverCheck(config.enabled, authorizer, identity);
  return { config, identity, authorizer, guard, audit, grants, throttle, approvers };
}

export type Auth = ReturnType<typeof createAuth>;
