// A command line Trent cannot act on: printed as one `trent: …` line, exit code 2.
export class UsageError extends Error {}
