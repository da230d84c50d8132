// Production data protection: stateful resources cannot be destroyed by a mistaken `pulumi up`
// or `pulumi destroy` in prod. Dev stacks are destroyable by design (docs/design.md, "Environments").

import { prodDeletionProtection } from "./prod-deletion-protection";
import { prodNoForceDestroy } from "./prod-no-force-destroy";
import { prodStatefulResourcesProtected } from "./prod-stateful-resources-protected";

export { prodDeletionProtection, prodNoForceDestroy, prodStatefulResourcesProtected };

export const protectionPolicies = [prodDeletionProtection, prodNoForceDestroy, prodStatefulResourcesProtected];
