/**
 * Audit controls of the platform: the trail (./trail.ts) and the security alerts (./alerts.ts).
 */
export * from "./alerts";
export * from "./trail";
