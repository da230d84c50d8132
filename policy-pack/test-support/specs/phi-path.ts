// Helpers shared by the specs of several phi-path policies (no spec imports another spec).

import { Platform } from "../platform";

export const fn = (p: Platform) => p.lambda;

export const readerPolicy = (p: Platform) => p.find("aws:iam/policy:Policy", "reader-policy");
