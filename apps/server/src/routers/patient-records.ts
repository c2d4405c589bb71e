// A patient's record: read, create (with the duplicate warning), edit (optimistic concurrency), archive, restore.
export const patientRecordProcedures = {};
