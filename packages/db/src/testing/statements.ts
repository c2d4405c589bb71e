// What a recorded statement is, for the tests and the bench that count a request's SQL.

/** Whether a statement only reads: a SELECT, perhaps after the CTEs a search's probes are (patients/list.ts). */
export const readsOnly = (statement: string) =>
  /^\s*(select|with)\b/i.test(statement) && !/\b(insert|update|delete|merge)\b/i.test(statement);
