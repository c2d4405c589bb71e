// What the figures were measured on: cores, CPU model, memory, Node and PostgreSQL versions.
import { cpus, totalmem } from "node:os";
import type pg from "pg";

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  platform: string;
}

export async function describeMachine(client: pg.Client): Promise<MachineInfo> {
  const { rows } = await client.query<{ version: string }>("select current_setting('server_version') as version");
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    postgres: rows[0]?.version ?? "unknown",
    platform: `${process.platform}-${process.arch}`,
  };
}
