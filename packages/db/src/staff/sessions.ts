// Staff sign-in and sessions. Tokens are 256 random bits, handed to the client once and stored only as
// SHA-256 hashes. Sessions are cached in memory for a short while so that an authenticated request costs
// no SQL of its own (the patient list stays one statement per page). A sign-out, a revoked session or a changed
// staff member reaches every instance's cache as PostgreSQL announces it (staffChanges, heard by a ChangeListener); should that
// announcement be missed (the listening connection lost), within CACHE_MS. Tokens that match no live session are
// remembered too, so that a caller repeating a bogus token costs no statement either.
import { createHash, randomBytes } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { expressionBuilder, sql } from "kysely";
import type { StaffRole } from "../entities/index.ts";
import type { ChairsideOrm } from "../orm.ts";
import type { ChangeChannel, ChangeListener } from "../postgres/change-listener.ts";
import type { ReadReplicas } from "../postgres/replicas.ts";
import { type ChairsideTables, firstRowOf, run, sqlFor } from "../postgres/sql.ts";
import { isConnectionFailure } from "../postgres/unreachable.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

/** What the staff_changed triggers NOTIFY: the id of a staff member whose sessions or record changed. */
export const STAFF_CHANGED_CHANNEL = "staff_changed";

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** How long a looked-up session is trusted without hearing of a change. */
export const SESSION_CACHE_MS = 30_000;
const CACHE_MS = SESSION_CACHE_MS;
const CACHE_LIMIT = 10_000;

/** Who is signed in, as every permission check needs it. */
export interface SignedInStaff {
  id: number;
  name: string;
  email: string;
  role: StaffRole;
  /** The clinics they work at (an owner's are every clinic's, but owners are not limited by them). */
  clinicIds: number[];
}

export interface Session {
  staff: SignedInStaff;
  expiresAt: Date;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

type StaffFrom = { m: ChairsideTables["staff_member"] };
const m = expressionBuilder<ChairsideTables & StaffFrom, "m">();
/** What a signed-in staff member is, as every permission check needs it: their row and their clinics. */
const staffColumns = [
  "m.id",
  "m.name",
  "m.email",
  "m.role",
  // ARRAY(subquery): the clinics in id order, an empty array for none, which the builder cannot say.
  sql<number[]>`array(${m
    .selectFrom("staff_member_clinics as c")
    .select("c.clinic_id")
    .whereRef("c.staff_member_id", "=", "m.id")
    .orderBy("c.clinic_id")})`.as("clinic_ids"),
] as const;
const toStaff = (row: {
  id: number;
  name: string;
  email: string;
  role: StaffRole;
  clinic_ids: number[];
}): SignedInStaff => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  clinicIds: row.clinic_ids,
});
const sameEmail = (email: string) => m(m.fn("lower", ["m.email"]), "=", m.fn("lower", [m.cast(m.val(email), "text")]));

export class SessionStore {
  readonly #orm: ChairsideOrm;
  /** Where sessions are looked up while the primary is down. */
  readonly #replicas: ReadReplicas | null;
  readonly #cache = new Map<string, { session: Session; until: number }>();
  /** Token hashes that matched no live session, until when. Tokens are random and an expired or revoked session
   *  stays so; only an archived staff member brought back revives one, here within CACHE_MS. Oldest first. */
  readonly #unknown = new Map<string, number>();
  /** Verified against when the email is unknown, so that an unknown email takes as long as a wrong password. */
  readonly #decoyHash: Promise<string>;
  /** Counts the changes heard, so that a lookup that raced one is not cached with what it read before it. */
  #changesHeard = 0;
  #listener: ChangeListener | undefined;

  constructor(orm: ChairsideOrm, replicas: ReadReplicas | null = null) {
    this.#orm = orm;
    this.#replicas = replicas;
    this.#decoyHash = hashPassword(randomBytes(16).toString("hex"));
  }

  /** Sign-outs and staff changes made anywhere (any instance, any tool), as PostgreSQL announces them: the cache
   *  forgets them at once, and forgets everyone when announcements may have been missed. */
  readonly staffChanges: ChangeChannel = {
    name: STAFF_CHANGED_CHANNEL,
    onNotice: (payload) => {
      const staffId = Number(payload);
      if (Number.isSafeInteger(staffId)) this.forgetStaff(staffId);
    },
    onMissed: () => this.forgetEveryone(),
  };

  /** The listener that carries staffChanges, so that hearingChanges can tell. */
  hearChangesFrom(listener: ChangeListener): void {
    this.#listener = listener;
  }

  /** Whether changes made elsewhere are heard now (false: cached sessions last until they expire). */
  get hearingChanges(): boolean {
    return this.#listener?.listening ?? false;
  }

  /** The staff member changed (archived, role, clinics) or one of their sessions ended. */
  forgetStaff(staffId: number): void {
    this.#changesHeard++;
    for (const [key, cached] of this.#cache) if (cached.session.staff.id === staffId) this.#cache.delete(key);
    // A staff member brought back revives their sessions, whose tokens may be remembered as unknown.
    this.#unknown.clear();
  }

  forgetEveryone(): void {
    this.#changesHeard++;
    this.#cache.clear();
    this.#unknown.clear();
  }

  /** A new session for the right email and password (email case-blind); null otherwise, whatever was wrong. */
  async signIn(email: string, password: string, now = new Date()): Promise<{ token: string; session: Session } | null> {
    const em = this.#orm.em.fork();
    const db = sqlFor(em);
    const row = await firstRowOf(
      em,
      db
        .selectFrom("staff_member as m")
        .select([...staffColumns, "m.password_hash"])
        .where(sameEmail(email))
        .where("m.archived", "=", false),
    );
    const matches = await verifyPassword(password, row?.password_hash ?? (await this.#decoyHash));
    if (!row || !matches) return null;
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await run(
      em,
      db
        .insertInto("staff_session")
        .values({ token_hash: hashToken(token), staff_id: row.id, created_at: now, expires_at: expiresAt }),
    );
    return { token, session: { staff: toStaff(row), expiresAt } };
  }

  /** The live session a token belongs to, or null (unknown, expired, revoked, or its staff member archived). */
  async authenticate(token: string, now = new Date()): Promise<Session | null> {
    const key = hashToken(token);
    const cached = this.#cache.get(key);
    if (cached && cached.until > now.getTime()) {
      return cached.session.expiresAt > now ? cached.session : null;
    }
    if ((this.#unknown.get(key) ?? 0) > now.getTime()) return null;
    const heardBefore = this.#changesHeard;
    const em = this.#orm.em.fork();
    const lookUp = () =>
      firstRowOf(
        em,
        sqlFor(em)
          .selectFrom("staff_session as s")
          .innerJoin("staff_member as m", "m.id", "s.staff_id")
          .select([...staffColumns, "s.expires_at"])
          .where("s.token_hash", "=", key)
          .where("s.revoked_at", "is", null)
          .where("s.expires_at", ">", now)
          .where("m.archived", "=", false),
      );
    let row: Awaited<ReturnType<typeof lookUp>>;
    let fromReplica = false;
    try {
      // On the primary: a session signed in a moment ago may not have reached a replica yet.
      row = await lookUp();
    } catch (error) {
      const replica = isConnectionFailure(error) ? this.#replicas?.insteadOfPrimary() : null;
      if (!replica || !this.#replicas) throw error;
      row = await this.#replicas.reading(replica, lookUp);
      fromReplica = true;
    }
    // A change heard while the lookup ran may postdate what it read, and a replica may not know a new session yet:
    // answer with what was found, but keep nothing that could be wrong.
    if (this.#changesHeard !== heardBefore || (fromReplica && !row)) {
      return row ? { staff: toStaff(row), expiresAt: new Date(row.expires_at) } : null;
    }
    if (!row) {
      this.#cache.delete(key);
      this.#unknown.delete(key);
      if (this.#unknown.size >= CACHE_LIMIT) this.#unknown.delete(this.#unknown.keys().next().value as string);
      this.#unknown.set(key, now.getTime() + CACHE_MS);
      return null;
    }
    const session = { staff: toStaff(row), expiresAt: new Date(row.expires_at) };
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(key, { session, until: now.getTime() + CACHE_MS });
    return session;
  }

  /** Revokes the session, on `em` (a request's transaction) or a connection of its own. */
  async signOut(token: string, now = new Date(), em: EntityManager = this.#orm.em.fork()): Promise<void> {
    const key = hashToken(token);
    this.#cache.delete(key);
    await run(
      em,
      sqlFor(em)
        .updateTable("staff_session")
        .set({ revoked_at: now })
        .where("token_hash", "=", key)
        .where("revoked_at", "is", null),
    );
  }
}
