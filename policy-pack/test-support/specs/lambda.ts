// Helpers shared by the specs of several lambda policies (no spec imports another spec).

import { Platform } from "../platform";

export const fn = (p: Platform) => p.lambda;

export const perm = (p: Platform) => p.find("aws:lambda/permission:Permission");
