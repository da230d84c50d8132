/**
 * The vendored oscal-compass HIPAA catalog (vendor/hipaa-2.0.0-catalog.json) read for what the
 * assessment results need: each control's title and group, and each group's standard as the catalog
 * states it (prop `standards-identifiers`). Read once, from the file as vendored (its SHA-256 is
 * checked against mapping.ts CATALOG_SOURCE, so an edited copy is refused).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Citation } from "../../../policy-pack/policies/lib/hipaa";
import { SPEC_INFO } from "../hipaa";
import { CATALOG_SOURCE } from "./mapping";

interface OscalProp {
  name: string;
  value: string;
}
interface OscalControl {
  id: string;
  title: string;
  props?: OscalProp[];
  controls?: OscalControl[];
}
interface OscalGroup {
  id: string;
  title: string;
  props?: OscalProp[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
}

export interface CatalogGroup {
  id: string;
  title: string;
  /** The CFR paragraph of the group's standard, as the catalog states it (`standards-identifiers`). */
  standard?: string;
}

export interface Catalog {
  uuid: string;
  title: string;
  version: string;
  oscalVersion: string;
  sha256: string;
  groups: Map<string, CatalogGroup>;
  /** Control id -> its title and the id of the group that holds it. */
  controls: Map<string, { title: string; group: string }>;
}

export const CATALOG_FILE = path.join(__dirname, CATALOG_SOURCE.file);

let cached: Catalog | undefined;

/** Parses a catalog document (the vendored file by default). */
export function parseCatalog(text: string): Catalog {
  const doc = JSON.parse(text) as {
    catalog: { uuid: string; metadata: { title: string; version: string; "oscal-version": string }; groups?: OscalGroup[] };
  };
  const groups = new Map<string, CatalogGroup>();
  const controls = new Map<string, { title: string; group: string }>();
  const addControls = (list: OscalControl[] | undefined, group: string) => {
    for (const c of list ?? []) {
      controls.set(c.id, { title: c.title.replace(/\s+/g, " ").trim(), group });
      addControls(c.controls, group);
    }
  };
  const walk = (list: OscalGroup[] | undefined) => {
    for (const g of list ?? []) {
      const standard = g.props?.find((p) => p.name === "standards-identifiers")?.value;
      groups.set(g.id, { id: g.id, title: g.title, ...(standard ? { standard } : {}) });
      addControls(g.controls, g.id);
      walk(g.groups);
    }
  };
  walk(doc.catalog.groups);
  const m = doc.catalog.metadata;
  return {
    uuid: doc.catalog.uuid,
    title: m.title,
    version: m.version,
    oscalVersion: m["oscal-version"],
    sha256: createHash("sha256").update(text).digest("hex"),
    groups,
    controls,
  };
}

/** The vendored catalog; refused if its bytes are not those of CATALOG_SOURCE. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const catalog = parseCatalog(fs.readFileSync(CATALOG_FILE, "utf8"));
  if (catalog.sha256 !== CATALOG_SOURCE.sha256) {
    throw new Error(`${CATALOG_FILE} is not the vendored catalog (SHA-256 ${catalog.sha256}, expected ${CATALOG_SOURCE.sha256})`);
  }
  cached = catalog;
  return catalog;
}

/** The CFR paragraph of a citation's standard ("164.312(e)(1)" for 164.312(e)(2)(ii)), from tools/evidence/hipaa.ts. */
export function standardOf(c: Citation): string {
  return SPEC_INFO[c].standard.split(" ")[0];
}

/**
 * The catalog group whose stated standard is the citation's standard: its `standards-identifiers`
 * equals the standard's paragraph or is that paragraph without its trailing "(1)"/"(i)" level
 * (the catalog writes 164.312(a) for the standard the CFR numbers 164.312(a)(1)).
 */
export function catalogGroupOf(catalog: Catalog, c: Citation): CatalogGroup | undefined {
  const std = standardOf(c);
  const matches = [...catalog.groups.values()].filter(
    (g) => g.standard !== undefined && (std === g.standard || (std.startsWith(g.standard) && std[g.standard.length] === "(")),
  );
  // the most specific stated paragraph wins
  return matches.sort((a, b) => b.standard!.length - a.standard!.length)[0];
}
