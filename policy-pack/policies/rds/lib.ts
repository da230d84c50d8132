// Shared code of the rds policies.

export const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

export function isAurora(engine: string | undefined): boolean {
  return (engine ?? "").startsWith("aurora");
}
