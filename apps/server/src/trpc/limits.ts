// What one HTTP request may ask of the API, shared with the clients that batch calls (the SPA, @chairside/client)
// so that they split their batches before the server would refuse them. Pure constants: safe in the browser.

/** Calls in one batched request. Bounds what a single request (signed in or not) can make the server do. */
export const MAX_BATCH_SIZE = 10;
