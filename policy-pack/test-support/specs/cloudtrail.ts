// Helpers shared by the specs of several cloudtrail policies (no spec imports another spec).

import { Platform } from "../platform";

export const trail = (p: Platform) => p.trail;
