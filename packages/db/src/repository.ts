// What every Chairside repository is: MikroORM's repository for one entity, bound to one request (its clock,
// the clinics the caller reaches, the cursor secret), so that a procedure says `ctx.db.patients.list(input)`
// and no query can forget the caller's scope.
import { type EntityManager, EntityRepository } from "@mikro-orm/postgresql";
import type { RequestScope } from "./scope.ts";

export abstract class ChairsideRepository<Entity extends object> extends EntityRepository<Entity> {
  /** PostgreSQL's: its Kysely and its query builder. */
  declare protected readonly em: EntityManager;
  protected boundTo: RequestScope | undefined;

  /** This repository for one request: a view of it whose prototype is the repository, which stays unbound (so
   *  repositories have no private members, which such a view cannot reach). */
  forRequest(request: RequestScope): this {
    return Object.assign(Object.create(this) as this, { boundTo: request });
  }

  /** The request this repository serves; using a repository before binding it is a bug. */
  protected get request(): RequestScope {
    if (!this.boundTo) throw new Error(`${this.constructor.name} is not bound to a request: use forRequest()`);
    return this.boundTo;
  }
}
