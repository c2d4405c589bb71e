// Search finds what staff type: phones in any format on their national digits, names with or without their
// apostrophes, hyphens and dots, dates of birth in the clinic's writing, patient numbers; in one statement for the
// list and one for the counts, each kind read from an index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type Caller, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
const ids: Record<string, number> = {};

async function insertPatient(
  key: string,
  values: { firstName: string; lastName: string; phone?: string; email?: string; birthday?: string },
): Promise<void> {
  const [row] = await api.db.sql<{ id: number }>(
    `insert into patient (first_name, last_name, phone, email, birthday, clinic_id, created_at, updated_at)
     values ($1, $2, $3, $4, $5, 1, now(), now()) returning id`,
    [values.firstName, values.lastName, values.phone ?? null, values.email ?? null, values.birthday ?? null],
  );
  ids[key] = (row as { id: number }).id;
}

/** One national number, stored the ways people type it. */
const STORED_FORMATS = [
  "+1 917 555 0180",
  "+19175550180",
  "1-917-555-0180",
  "917.555.0180",
  "(917) 555-0180",
  "9175550180",
];

beforeAll(async () => {
  api = await createTestApi({ patients: 400 });
  for (const [index, phone] of STORED_FORMATS.entries()) {
    await insertPatient(`format${index}`, { firstName: "Quill", lastName: `Formato${index}`, phone });
  }
  // Numbers that share digits with it without being it.
  await insertPatient("nextNumber", { firstName: "Quill", lastName: "Vecino", phone: "917-555-0181" });
  await insertPatient("shifted", { firstName: "Quill", lastName: "Corrido", phone: "(191) 755-5018" });
  await insertPatient("madrid", { firstName: "Quill", lastName: "Madrileño", phone: "+34 917 55 50 18" });
  await insertPatient("miaObrien", { firstName: "Mia", lastName: "O'Brien" });
  await insertPatient("liamOconnor", { firstName: "Liam", lastName: "O’Connor" });
  await insertPatient("avaSmithJones", { firstName: "Ava", lastName: "Smith-Jones" });
  await insertPatient("noeStJohn", { firstName: "Noé", lastName: "St. John" });
  await insertPatient("anaBorn1969", { firstName: "Ana", lastName: "Quintanilla", birthday: "1969-11-27" });
  await insertPatient("anaDayAfter", { firstName: "Ana", lastName: "Quintanilla", birthday: "1969-11-28" });
  await insertPatient("anaBorn1970", { firstName: "Ana", lastName: "Quintanilla", birthday: "1970-11-27" });
  await api.db.sql("analyze patient");
  owner = await api.as(ACCOUNTS.owner);
});
afterAll(() => api.close());

const listed = async (search: string) => (await owner.patients.list({ search, limit: 100 })).items.map((i) => i.id);
const formats = () => STORED_FORMATS.map((_, index) => ids[`format${index}`] as number);

/** What PostgreSQL says of the patients listed. */
async function patientsOf(found: number[]) {
  return api.db.sql<{ id: number; birthday: string | null; search_text: string; phone_digits: string | null }>(
    "select id, birthday::text, search_text, phone_digits from patient where id = any($1::int[]) order by id",
    [found],
  );
}

describe("a phone number", () => {
  it("typed in any format finds the patient in every format it may be stored in, and no other number", async () => {
    for (const typed of [...STORED_FORMATS, "1 (917) 555-0180", "+1-917-555-0180"]) {
      const found = await listed(typed);
      expect(found, typed).toEqual(expect.arrayContaining(formats()));
      for (const other of [ids.nextNumber, ids.shifted, ids.madrid]) expect(found, typed).not.toContain(other);
    }
  });

  it("typed in part finds every stored format", async () => {
    for (const typed of ["917 555", "555-0180", "5550180", "0180", "+1 917", "+1 (917) 555"]) {
      expect(await listed(typed), typed).toEqual(expect.arrayContaining(formats()));
    }
  });

  it("keeps what was typed and stores its national digits beside it", async () => {
    const rows = await api.db.sql<{ phone: string; phone_digits: string }>(
      "select phone, phone_digits from patient where id = any($1::int[]) order by id",
      [formats()],
    );
    expect(rows.map((row) => row.phone)).toEqual(STORED_FORMATS);
    expect(new Set(rows.map((row) => row.phone_digits))).toEqual(new Set(["9175550180"]));
  });

  it("lists the numbers that start with the digits before those that only contain them", async () => {
    const found = await listed("917 555");
    const starting = found.findLastIndex((id) => formats().includes(id));
    const [shifted] = await patientsOf([ids.shifted as number]);
    expect(shifted?.search_text).toContain("917555"); // it contains the digits, but does not start with them
    expect(found.indexOf(ids.shifted as number)).toBeGreaterThan(starting);
  });
});

describe("a name", () => {
  it("typed with or without its apostrophes, hyphens, dots and spaces finds the patient, exact names first", async () => {
    const cases = [
      ["mia obrien", "miaObrien"],
      ["mia o'brien", "miaObrien"],
      ["Mia O’Brien", "miaObrien"],
      ["obrien, mia", "miaObrien"],
      ["mia o brien", "miaObrien"],
      ["liam oconnor", "liamOconnor"],
      ["liam o'connor", "liamOconnor"],
      ["ava smithjones", "avaSmithJones"],
      ["ava smith jones", "avaSmithJones"],
      ["ava smith-jones", "avaSmithJones"],
      ["noe stjohn", "noeStJohn"],
      ["noé st. john", "noeStJohn"],
      ["noe st john", "noeStJohn"],
    ];
    for (const [search, key] of cases) expect((await listed(search as string))[0], search).toBe(ids[key as string]);
  });

  it("typed in part, with or without its marks, finds it too", async () => {
    for (const [search, key] of [
      ["obrien", "miaObrien"],
      ["o'bri", "miaObrien"],
      ["oconn", "liamOconnor"],
      ["smithjo", "avaSmithJones"],
      ["jones", "avaSmithJones"],
    ]) {
      expect(await listed(search as string), search).toContain(ids[key as string]);
    }
  });
});

describe("a date of birth", () => {
  it("written as the clinic writes it, or ISO, finds the patients born that day and only them", async () => {
    for (const typed of ["11/27/1969", "1969-11-27", "11-27-1969"]) {
      const found = await listed(typed);
      expect(found, typed).toContain(ids.anaBorn1969);
      for (const patient of await patientsOf(found)) expect(patient.birthday, typed).toBe("1969-11-27");
    }
  });

  it("beside a name narrows the name; a day that is not in the calendar finds nobody", async () => {
    expect(await listed("ana quintanilla 11/27/1969")).toEqual([ids.anaBorn1969]);
    expect(await listed("ana quintanilla 02/30/1969")).toEqual([]);
  });

  it("as a year beside a name finds that name born that year, and not the same name born another year", async () => {
    const found = await listed("ana 1969");
    expect(found).toContain(ids.anaBorn1969);
    expect(found).toContain(ids.anaDayAfter);
    expect(found).not.toContain(ids.anaBorn1970);
    expect(await listed("quintanilla 1970")).toEqual([ids.anaBorn1970]);
  });

  it("as a year alone lists the patients born that year first, then digits in phones and emails", async () => {
    const found = await listed("1969");
    const patients = new Map((await patientsOf(found)).map((row) => [row.id, row]));
    const born = found.filter((id) => patients.get(id)?.birthday?.startsWith("1969"));
    expect(born.length).toBeGreaterThan(1);
    expect(found.slice(0, born.length)).toEqual(born);
    for (const id of found.slice(born.length)) expect(patients.get(id)?.search_text).toContain("1969");
  });
});

describe("a patient number", () => {
  it('written "#67", as the record shows it, finds that patient alone', async () => {
    expect(await listed("#67")).toEqual([67]);
    expect(await listed("#67 ana quintanilla")).toEqual([]);
  });

  it('"67" lists patient 67 first, then only phones and emails with those digits', async () => {
    const found = await listed("67");
    expect(found[0]).toBe(67);
    for (const patient of await patientsOf(found.slice(1))) expect(patient.search_text).toContain("67");
    // Digits typed apart are a phone's: neither a patient number nor a birth year.
    for (const typed of ["6 7", "19 69"]) {
      const digits = typed.replace(" ", "");
      for (const patient of await patientsOf(await listed(typed))) {
        expect(patient.phone_digits?.startsWith(digits) || patient.search_text.includes(digits), typed).toBe(true);
      }
    }
    // Digits with a leading zero, or with a phone's marks, are no patient number.
    for (const typed of ["0180", "(67)"]) {
      for (const patient of await patientsOf(await listed(typed)))
        expect(patient.search_text, typed).toContain(typed.replace(/\D/g, ""));
    }
  });

  it("over HTTP: found, a number no record can have finds nobody without an error, too long is a field issue", async () => {
    const url = await api.listen();
    const token = (await api.services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD))?.token;
    const overHttp = async (search: string) => {
      const input = encodeURIComponent(JSON.stringify({ json: { search } }));
      const response = await fetch(`${url}/trpc/patients.list?input=${input}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as {
        result?: { data: { json: { items: { id: number }[] } } };
        error?: { json: { data: { zodError: { fieldErrors: Record<string, string[]> } | null } } };
      };
      const items = body.result?.data.json.items.map((item) => item.id);
      return { status: response.status, items, fields: body.error?.json.data.zodError?.fieldErrors };
    };
    expect(await overHttp("#67")).toEqual({ status: 200, items: [67], fields: undefined });
    for (const search of ["#99999999999", "#0", "13/27/1969"]) {
      expect(await overHttp(search), search).toEqual({ status: 200, items: [], fields: undefined });
    }
    const tooLong = await overHttp(`#${"6".repeat(200)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.fields?.search).toHaveLength(1);
  });
});

const SEARCHES = [
  ["a full phone number", "+1 (917) 555-0180", "format3"],
  ["part of a phone number", "+1 917 555", "format3"],
  ["a patient number", "#67", 67],
  ["a bare number", "67", 67],
  ["a year", "1969", "anaBorn1969"],
  ["a date of birth", "11/27/1969", "anaBorn1969"],
  ["a name and a year", "ana 1969", "anaBorn1969"],
  ["a name without its apostrophe", "mia obrien", "miaObrien"],
] as const;

describe("each kind of search", () => {
  it.each(SEARCHES)(
    "(%s) finds its patient, lists and counts in one statement each from indexes only, and walks its pages in order",
    async (_, search, expected) => {
      const patient = typeof expected === "number" ? expected : ids[expected];
      api.statements.length = 0;
      const page = await owner.patients.list({ search, limit: 100 });
      expect(api.statements).toHaveLength(1);
      expect(page.items.map((item) => item.id)).toContain(patient);
      api.statements.length = 0;
      const counts = await owner.patients.counts({ search });
      expect(api.statements).toHaveLength(1);
      expect(page.nextCursor).toBeNull();
      expect(counts.all).toBe(page.items.length);

      for (const [call, generic] of [
        [() => owner.patients.list({ search, limit: 50 }), true],
        [() => owner.patients.counts({ search }), false],
      ] as const) {
        const scans = scansOf(await planOf(call, generic));
        expect(scans.length).toBeGreaterThan(0);
        expect(scans.filter((scan) => scan["Node Type"] === "Seq Scan").map((scan) => scan["Relation Name"])).toEqual(
          [],
        );
      }

      const walked: number[] = [];
      let cursor: string | null = null;
      do {
        const next: { items: { id: number }[]; nextCursor: string | null } = await owner.patients.list({
          search,
          limit: 2,
          cursor,
        });
        walked.push(...next.items.map((item) => item.id));
        cursor = next.nextCursor;
      } while (cursor);
      expect(walked).toEqual(page.items.map((item) => item.id));
    },
  );

  it.each([
    ["+1 (917) 555-0180", "patient_phone_digits_idx"],
    ["11/27/1969", "patient_birthday_idx"],
    ["1969", "patient_birthday_idx"],
    ["#67", "patient_pkey"],
  ])("%s is read as a range of %s", async (search, index) => {
    for (const [call, generic] of [
      [() => owner.patients.list({ search, limit: 50 }), true],
      [() => owner.patients.counts({ search }), false],
    ] as const) {
      const used = scansOf(await planOf(call, generic)).map((scan) => scan["Index Name"]);
      expect(used).toContain(index);
    }
  });

  it("a search's first page is one statement for any name typed, its plan kept: ranges of the names' indexes", async () => {
    const sent = async (search: string) => {
      api.statements.length = 0;
      await owner.patients.list({ search, limit: 50 });
      return api.statements[0];
    };
    const text = await sent("ana");
    for (const search of ["garcia", "zz", "Ana-María", "o'brien"]) expect(await sent(search), search).toBe(text);
    const used = scansOf(await planOf(() => owner.patients.list({ search: "garcia", limit: 50 }), true));
    expect(used.map((scan) => scan["Index Name"])).toEqual(
      expect.arrayContaining(["patient_name_idx", "patient_first_name_idx", "patient_search_trgm_idx"]),
    );
    expect(used.filter((scan) => scan["Node Type"] === "Seq Scan").map((scan) => scan["Relation Name"])).toEqual([]);
  });
});

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

/** The plan of the one statement a call sends, with sequential scans priced out: a test table is small enough that
 *  reading it whole is cheapest, so what counts is whether an index can serve. `generic`: the plan kept for any
 *  values (a search's first page); otherwise the plan for the values it bound. */
async function planOf(call: () => Promise<unknown>, generic = false): Promise<PlanNode | undefined> {
  api.statements.length = 0;
  api.values.length = 0;
  await call();
  expect(api.statements).toHaveLength(1);
  const [text, values] = [api.statements[0] as string, api.values[0] ?? []];
  const settings = { enable_seqscan: "off" };
  if (generic) return ((await api.db.genericPlan(settings, text, values)) as [{ Plan: PlanNode }])[0].Plan;
  const [explained] = await api.db.sqlWithSettings<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
    settings,
    `explain (format json) ${text}`,
    values,
  );
  return explained?.["QUERY PLAN"][0].Plan;
}

/** Every node of a plan that reads a table or an index. */
function scansOf(node: PlanNode | undefined): PlanNode[] {
  if (!node) return [];
  const own = /Scan$/.test(node["Node Type"]) && node["Node Type"] !== "Subquery Scan" ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)];
}
