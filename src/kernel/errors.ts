/** Errors with a stable code, for the one catch-all of each entry point. */

/** An error meant for the API caller: status, a stable code and a message that says what to send instead. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

