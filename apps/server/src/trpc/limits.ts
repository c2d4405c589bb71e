// What one HTTP request may ask of the API, shared with the clients that batch calls (the SPA, @chairside/client)
// so that they split their batches before the server would refuse them, and what they must send back. Pure
// constants: safe in the browser.

/** Calls in one batched request. Bounds what a single request (signed in or not) can make the server do. */
export const MAX_BATCH_SIZE = 10;

/** The position of a caller's last write (read-your-writes.ts): in the answer to each write, and sent back with the
 *  next requests by clients that carry no cookie, so that their reads see their own writes on any instance. */
export const WRITTEN_HEADER = "x-chairside-written";
