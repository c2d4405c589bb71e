// What a patient list may be asked for, as plain constants: the schemas (list-input.ts) are built from them, and
// the SPA's first paint reads them without loading zod. Pure constants: safe in the browser.

/** Page size bounds: 100 rows is plenty for a screen and keeps every response small. */
export const PAGE_SIZE = { min: 1, max: 100, default: 50 } as const;

export const PATIENT_LIST_TABS = ["all", "active", "inactive", "new"] as const;
export const ARCHIVED_FILTERS = ["exclude", "only", "include"] as const;
export const PATIENT_SORT_KEYS = ["name", "lastVisit", "createdAt"] as const;
export const SORT_DIRECTIONS = ["asc", "desc"] as const;
