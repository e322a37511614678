// Errors of the admin routes, shaped like AWS's ({"__type","message"}) with the HTTP status the route means.
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidBody = (message: string) => new AdminError(400, 'ValidationException', message);
