/** DynamoDB on 127.0.0.1 (dynalite, an ephemeral port) and its tables, created from the handlers' key-schema contracts. */
import { CreateTableCommand, DynamoDBClient, ScalarAttributeType } from "@aws-sdk/client-dynamodb";
import type { AddressInfo } from "net";
import type { Server } from "http";

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: Record<string, unknown>) => Server;

export interface LocalDynamoDb {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite with instant table operations. */
export async function startDynalite(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err?: Error) => (err ? reject(err) : resolve()))),
  };
}

interface KeyAttribute {
  readonly name: string;
  readonly type: ScalarAttributeType;
}

/** A table's key as the handlers' contracts declare it (e.g. AUDIT_TABLE_KEY_SCHEMA). */
export interface TableKeySchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/** Creates an on-demand table with the contract's key. */
export async function createTable(client: DynamoDBClient, tableName: string, key: TableKeySchema): Promise<void> {
  const attributes = key.sortKey ? [key.partitionKey, key.sortKey] : [key.partitionKey];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: attributes.map((a, i) => ({ AttributeName: a.name, KeyType: i === 0 ? "HASH" : "RANGE" })),
      AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    }),
  );
}
