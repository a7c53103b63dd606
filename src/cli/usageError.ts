/** A problem the user must fix; the CLI prints its message and exits with code 2. */
export class UsageError extends Error {}
