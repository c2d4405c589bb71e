// A page's rows leave out their name-order values where the names alone tell them; placing a changed row among
// them must come out as it would with every row's values sent.
import { describe, expect, it } from "vitest";
import { compareInList, type ListSortKeys, orderOf, pageRowOf } from "../src/patients/list-order.ts";

const row = (id: number, firstName: string, lastName: string, name: [string, string]) => ({
  id,
  firstName,
  lastName,
  sortKeys: { name, lastVisit: null, createdAt: id } satisfies ListSortKeys,
});

describe("a page's rows in name order", () => {
  it("leave out the order values the names tell, and orderOf tells them again", () => {
    for (const [first, last, name] of [
      ["Ana", "Garcia", ["garcia", "ana"]],
      ["Amélie", "Åberg", ["aberg", "amelie"]],
      ["Mia", "O'Brien", ["obrien", "mia"]],
      ["Anne-Marie", "Núñez", ["nunez", "annemarie"]],
    ] as const) {
      const sent = pageRowOf({ by: "name" }, row(1, first, last, [...name]));
      expect(sent).not.toHaveProperty("order");
      expect(orderOf(sent)).toEqual(name);
    }
  });

  it("keep the values the names do not tell (letters without a decomposition, other scripts, a stored key that differs)", () => {
    for (const [first, last, name] of [
      ["Bjørn", "Åberg", ["aberg", "bjorn"]],
      ["Jürgen", "Groß", ["gross", "jurgen"]],
      ["Юлия", "Иванова", ["иванова", "юлия"]],
      ["Ana", "Garcia", ["garcia", "ana2"]],
      // As long as the names, but not their guess: a letter, a case, a character that is not a letter.
      ["Ana", "Garcia", ["garcib", "ana"]],
      ["Ana", "Garcia", ["Garcia", "ana"]],
      ["Ana", "Garc1a", ["garc1a", "ana"]],
      ["Ana", "Garcia", ["garcia", "an"]],
    ] as const) {
      const sent = pageRowOf({ by: "name" }, row(1, first, last, [...name]));
      expect(sent.order).toEqual(name);
      expect(orderOf(sent)).toEqual(name);
    }
  });

  it("always carry the values of the other orders, and never the keys of every order", () => {
    const sent = pageRowOf({ by: "createdAt" }, row(7, "Ana", "Garcia", ["garcia", "ana"]));
    expect(sent).toEqual({ id: 7, firstName: "Ana", lastName: "Garcia", order: [7] });
  });

  it("place a changed row as if every row carried its values", () => {
    const loaded = [
      row(3, "Bjørn", "Åberg", ["aberg", "bjorn"]),
      row(1, "Ana", "Garcia", ["garcia", "ana"]),
      row(2, "Mia", "O'Brien", ["obrien", "mia"]),
    ].map((each) => pageRowOf({ by: "name" }, each));
    const changed = pageRowOf({ by: "name" }, row(9, "Zoë", "Núñez", ["nunez", "zoe"]));
    const before = loaded.findIndex((each) => compareInList({ direction: "asc" }, changed, each) < 0);
    expect(before).toBe(2);
    expect(compareInList({ direction: "desc" }, changed, loaded[2] as (typeof loaded)[number])).toBeGreaterThan(0);
  });
});
