// Answers are written together, once per turn of the event loop, rather than each as soon as it is ready.
// Loopback load showed why: a write to a client that sleeps must wake it, and that wake-up is paid by the
// writer; writing the turn's answers back to back lets a client collect several per wake-up. A bare node:http
// server measured 28 → 19 µs of CPU per request this way, and the wait is one turn of the loop.

let queued: (() => void)[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const now = queued;
  queued = [];
  for (const write of now) write();
}

/** Runs `write` (an answer's writeHead and end) at the end of this turn of the event loop. */
export function answerLater(write: () => void): void {
  queued.push(write);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}
