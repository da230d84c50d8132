// Helpers shared by the specs of several kms policies (no spec imports another spec).

import { Platform } from "../platform";

export const KEY = "aws:kms/key:Key";

export const key = (p: Platform) => p.find(KEY, "data-key");
