// Read-your-writes across instances: after a caller writes, their reads go to the primary until a replica has
// replayed past that write. The position of their last write travels with the caller, so that any instance can
// honour it without a shared cache or a statement of its own: a cookie for the SPA, and the same value in a response
// header that services echo back as a request header. A forged or stale value can only send that caller's own
// reads to the primary, for at most READ_YOUR_WRITES_MS.
import type { WriteMark } from "@chairside/db";
import type { FastifyRequest } from "fastify";
import type { Context } from "./context.ts";
import { WRITTEN_HEADER } from "./limits.ts";

export const WRITTEN_COOKIE = "chairside_written";
/** Longer than a usable replica may lag (DATABASE_REPLICA_MAX_LAG_MS), so that by then any replica serving reads has
 *  replayed the write. */
export const READ_YOUR_WRITES_MS = 30_000;

/** "an unknown position": reads go to the primary for the whole window. */
const UNKNOWN_LSN = 2n ** 64n - 1n;

/** The caller's last write, as the request carries it (cookie first, then header), while it still matters. */
export function writeMarkOf(request: FastifyRequest, now = Date.now()): WriteMark | null {
  const header = request.headers[WRITTEN_HEADER];
  const value = request.cookies?.[WRITTEN_COOKIE] ?? (typeof header === "string" ? header : undefined);
  const match = value ? /^(\d{1,20})\.(\d{1,15})$/.exec(value) : null;
  if (!match?.[1] || !match[2]) return null;
  const mark = { lsn: BigInt(match[1]), at: Number(match[2]) };
  return mark.at <= now + 1_000 && now - mark.at < READ_YOUR_WRITES_MS ? mark : null;
}

/** After a write committed: where the primary's WAL stands now becomes the caller's last write, sent back to them. */
export async function rememberWrite(ctx: Pick<Context, "replicas" | "readYourWrites" | "reply" | "production">) {
  if (!ctx.replicas) return;
  // Should the primary not say (it went away just after the commit), the whole window goes to the primary.
  const lsn = await ctx.replicas.writtenUpTo().catch(() => UNKNOWN_LSN);
  const mark = { lsn, at: Date.now() };
  ctx.readYourWrites.last = mark;
  const value = `${mark.lsn}.${mark.at}`;
  ctx.reply?.header(WRITTEN_HEADER, value);
  ctx.reply?.setCookie(WRITTEN_COOKIE, value, {
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.production,
    path: "/",
    maxAge: READ_YOUR_WRITES_MS / 1000,
  });
}
