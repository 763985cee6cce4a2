import { SetMetadata } from '@nestjs/common';

export const ADMIN_ONLY = 'cadence:admin-only';

/**
 * Marks a route (or every route of a controller) as needing an `admin` key: ApiKeyGuard answers an `enroll`
 * key 403 `insufficient_scope`. Document the 403 in the route's ApiAnswers.
 */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY, true);
