/**
 * An error caused by the user's input or options. The CLI prints its message as one line, without a
 * stack trace (unless --debug), and exits non-zero. Messages name the file, line or field at fault and
 * say what to do.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
