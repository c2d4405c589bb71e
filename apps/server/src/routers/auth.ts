// Signing in and out. The SPA gets an HttpOnly cookie; other services ask for the token and send it as
// `Authorization: Bearer <token>`.
import { storableText } from "@chairside/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { SESSION_COOKIE } from "../trpc/context.ts";
import { procedure, router } from "../trpc/trpc.ts";

/** Carried by a TOO_MANY_REQUESTS error: the seconds to wait, for `error.data.details.retryAfterSeconds`. */
class RetryAfter extends Error {
  readonly details: { retryAfterSeconds: number };
  constructor(seconds: number) {
    super(`retry after ${seconds} s`);
    this.details = { retryAfterSeconds: seconds };
  }
}

export const loginInput = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(200),
  /** true for services: return the token instead of (only) setting the session cookie. */
  issueToken: z.boolean().default(false),
});

/** Checked once the throttle has counted the attempt, so that such a sign-in is throttled and audited like any
 *  other failed one rather than refused before anything sees it. */
const storableEmail = z.object({ email: storableText() });

export const authRouter = router({
  // No transaction around a sign-in: its count must commit even when it fails, and each of its statements (count,
  // look-up, new session) takes one connection at a time, so that a burst of sign-ins cannot wait on itself for a
  // second one (of the ORM's pool, or of a pooler's). Its audit entry is buffered, as a failed one's is.
  login: procedure
    .meta({ transaction: false })
    .input(loginInput)
    .mutation(async ({ ctx, input }) => {
      const throttle = ctx.loginThrottle;
      const wait = await throttle.attempt(ctx.clientAddress, input.email, ctx.now.getTime());
      if (wait > 0) {
        ctx.audit.record({ action: "login.failure", email: input.email, details: { reason: "throttled" } });
        throw new TRPCError({
          code: "TOO_MANY_REQUESTS",
          message: `too many sign-in attempts; try again in ${wait} s`,
          cause: new RetryAfter(wait),
        });
      }
      // The attempt counts as a failure from here until the password proves right.
      const storable = storableEmail.safeParse({ email: input.email });
      if (!storable.success) {
        ctx.audit.record({
          action: "login.failure",
          email: input.email,
          details: { reason: "email cannot be stored" },
        });
        throw new TRPCError({ code: "BAD_REQUEST", message: "the email cannot be stored", cause: storable.error });
      }
      const signedIn = await ctx.sessions.signIn(input.email, input.password, ctx.now);
      // One message whatever was wrong, so that nobody learns which emails have accounts.
      if (!signedIn) {
        ctx.audit.record({
          action: "login.failure",
          email: input.email,
          details: { reason: "wrong email or password" },
        });
        throw new TRPCError({ code: "UNAUTHORIZED", message: "email or password is wrong" });
      }
      await throttle.succeeded(ctx.clientAddress, input.email);
      ctx.audit.note({ action: "login.success", staffId: signedIn.session.staff.id, email: input.email });
      const { token, session } = signedIn;
      ctx.reply?.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "strict",
        secure: ctx.production,
        path: "/",
        expires: session.expiresAt,
      });
      return { staff: session.staff, expiresAt: session.expiresAt, token: input.issueToken ? token : null };
    }),

  logout: procedure.mutation(async ({ ctx }) => {
    // In the sign-out's own transaction, with its audit entry.
    if (ctx.token) await ctx.sessions.signOut(ctx.token, ctx.now, ctx.em);
    ctx.audit.note({ action: "logout" });
    ctx.reply?.clearCookie(SESSION_COOKIE, { path: "/" });
    return { signedOut: true };
  }),

  me: procedure.query(({ ctx }) => {
    if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
    return { staff: ctx.session.staff, expiresAt: ctx.session.expiresAt };
  }),
});
