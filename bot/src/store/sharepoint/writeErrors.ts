/**
 * How a SharePoint write fails once the Graph client's retries are spent. Their own file so every
 * port can throw them; sharePointStore.ts re-exports them for the rest of the app.
 */
import { storeBusyMark, type StoreBusy } from "../busy.js";

/** A write that failed after the Graph client's retries. `unchanged` says whether the store was left as it was. */
export class SharePointWriteError extends Error {
  constructor(
    message: string,
    readonly unchanged: boolean,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "SharePointWriteError";
  }
}

/** A change refused or cut short because Graph kept throttling past the retries; `retryAfterSeconds`: the longest wait asked for. */
export class SharePointThrottledError extends SharePointWriteError implements StoreBusy {
  readonly [storeBusyMark] = true;
  constructor(
    message: string,
    unchanged: boolean,
    readonly retryAfterSeconds: number,
    cause?: unknown,
  ) {
    super(message, unchanged, cause);
    this.name = "SharePointThrottledError";
  }
}
