// Helpers shared by the specs of several cloudwatch policies (no spec imports another spec).

import { Platform } from "../platform";

export const group = (p: Platform) => p.trailLogGroup;
