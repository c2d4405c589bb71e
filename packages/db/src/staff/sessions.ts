// Staff sign-in and sessions. Tokens are 256 random bits, handed to the client once and stored only as
// SHA-256 hashes. Sessions are cached in memory for a short while so that an authenticated request costs
// no SQL of its own (the patient list stays one statement per page); signing out here takes effect at once,
// elsewhere (another server process) within CACHE_MS. Tokens that match no live session are remembered too, so
// that a caller repeating a bogus token costs no statement either.
import { createHash, randomBytes } from "node:crypto";
import type { StaffRole } from "../entities/index.ts";
import type { ChairsideOrm } from "../orm.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
const CACHE_MS = 30_000;
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

interface StaffRow {
  id: number;
  name: string;
  email: string;
  role: StaffRole;
  clinic_ids: number[];
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const toStaff = (row: StaffRow): SignedInStaff => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  clinicIds: row.clinic_ids,
});
const STAFF_COLUMNS = `m.id, m.name, m.email, m.role,
  array(select c.clinic_id from staff_member_clinics c where c.staff_member_id = m.id order by c.clinic_id) as clinic_ids`;

export class SessionStore {
  readonly #orm: ChairsideOrm;
  readonly #cache = new Map<string, { session: Session; until: number }>();
  /** Token hashes that matched no live session, until when. Tokens are random and an expired or revoked session
   *  stays so; only an archived staff member brought back revives one, here within CACHE_MS. Oldest first. */
  readonly #unknown = new Map<string, number>();
  /** Verified against when the email is unknown, so that an unknown email takes as long as a wrong password. */
  readonly #decoyHash: Promise<string>;

  constructor(orm: ChairsideOrm) {
    this.#orm = orm;
    this.#decoyHash = hashPassword(randomBytes(16).toString("hex"));
  }

  /** A new session for the right email and password (email case-blind); null otherwise, whatever was wrong. */
  async signIn(email: string, password: string, now = new Date()): Promise<{ token: string; session: Session } | null> {
    const connection = this.#orm.em.getConnection();
    const [row] = await connection.execute<(StaffRow & { password_hash: string })[]>(
      `select ${STAFF_COLUMNS}, m.password_hash from staff_member m where lower(m.email) = lower(?) and not m.archived`,
      [email],
    );
    const matches = await verifyPassword(password, row?.password_hash ?? (await this.#decoyHash));
    if (!row || !matches) return null;
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await connection.execute(
      "insert into staff_session (token_hash, staff_id, created_at, expires_at) values (?, ?, ?, ?)",
      [hashToken(token), row.id, now, expiresAt],
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
    const [row] = await this.#orm.em.getConnection().execute<(StaffRow & { expires_at: Date })[]>(
      `select ${STAFF_COLUMNS}, s.expires_at from staff_session s join staff_member m on m.id = s.staff_id
        where s.token_hash = ? and s.revoked_at is null and s.expires_at > ? and not m.archived`,
      [key, now],
    );
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

  async signOut(token: string, now = new Date()): Promise<void> {
    const key = hashToken(token);
    this.#cache.delete(key);
    await this.#orm.em
      .getConnection()
      .execute("update staff_session set revoked_at = ? where token_hash = ? and revoked_at is null", [now, key]);
  }
}
