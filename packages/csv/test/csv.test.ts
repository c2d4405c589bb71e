// CSV fields: RFC 4180 quoting, and cells a spreadsheet would run as formulas kept as text.
import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "../src/index.ts";

describe("a CSV field", () => {
  it("stays bare when nothing in it needs quoting", () => {
    expect(csvField("García")).toBe("García");
    expect(csvField("ana.garcia@example.test")).toBe("ana.garcia@example.test");
    expect(csvField(42)).toBe("42");
    expect(csvField("2023-01-31")).toBe("2023-01-31");
  });

  it("is empty for a missing value", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField("")).toBe("");
  });

  it("is quoted, with quotes doubled, when it holds a comma, a quote or a line break", () => {
    expect(csvField("Doe, Jr.")).toBe('"Doe, Jr."');
    expect(csvField('The "Dentist"')).toBe('"The ""Dentist"""');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("line one\r\nline two")).toBe('"line one\r\nline two"');
  });

  it.each([
    ["=1+1", `"'=1+1"`],
    ["+1 (718) 555-0142", `"'+1 (718) 555-0142"`],
    ["-2+3", `"'-2+3"`],
    ["@SUM(A1:A9)", `"'@SUM(A1:A9)"`],
    ["\t=1+1", `"'\t=1+1"`],
    ["\r=1+1", `"'\r=1+1"`],
    ["＝1+1", `"'＝1+1"`],
    ['=HYPERLINK("http://evil.test","x")', `"'=HYPERLINK(""http://evil.test"",""x"")"`],
  ])("keeps %j as text for a spreadsheet", (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it("leaves formula characters alone when they are not first", () => {
    expect(csvField("Smith-Jones")).toBe("Smith-Jones");
    expect(csvField("a=b")).toBe("a=b");
  });
});

describe("a CSV record", () => {
  it("joins its fields with commas and ends with CRLF", () => {
    expect(csvRecord([7, "Doe, Jr.", null, "=x"])).toBe(`7,"Doe, Jr.",,"'=x"\r\n`);
  });
});
