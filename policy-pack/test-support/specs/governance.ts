// Helpers shared by the specs of several governance policies (no spec imports another spec).

import { Platform } from "../platform";

export const table = (p: Platform) => p.find("aws:dynamodb/table:Table");
