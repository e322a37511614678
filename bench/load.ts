// Load-generator child (forked by run.ts so it never shares the measured server's event loop): replays
// pre-signed requests from N keep-alive loops for warm-up + one measured slice; raw latencies go back over IPC.
import { Agent, request } from 'node:http';
import type { PreparedRequest } from './sign.ts';

export interface LoadJob {
  id: number;
  url: string;
  /** Replayed round-robin (usually one request). */
  reqs: PreparedRequest[];
  concurrency: number;
  warmupMs: number;
  measureMs: number;
}

export interface LoadResult {
  id: number;
  /** Milliseconds, one per request started inside the measured slice. */
  latencies: Float64Array;
  /** Measured slice length in ms (until the last measured request finished). */
  elapsedMs: number;
  /** Non-200 answers or transport failures, warm-up included. */
  errors: number;
  firstError?: string;
  /** Size of the first 200 answer body; -1 if none. */
  okBodyBytes: number;
  /** Measured slice on the monotonic clock, microseconds (comparable to V8 profile timestamps). */
  windowUs: [number, number];
  /** From a generator that reports percentiles instead of raw latencies (wrk): its count and percentiles, ms. */
  summary?: { requests: number; p50: number; p99: number };
}

interface Outcome {
  status: number;
  bytes: number;
  text?: string;
}

// One keep-alive agent per target, kept across slices so every slice measures warm connections.
const agents = new Map<string, Agent>();

async function runJob(job: LoadJob): Promise<LoadResult> {
  let agent = agents.get(job.url);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: job.concurrency, maxFreeSockets: job.concurrency });
    agents.set(job.url, agent);
  }
  const u = new URL(job.url);
  const variants = job.reqs.map((r) => ({
    body: Buffer.from(r.body),
    options: { agent, host: u.hostname, port: Number(u.port), method: r.method, path: r.path, headers: r.headers },
  }));
  let turn = 0;

  const fire = () =>
    new Promise<Outcome>((resolve, reject) => {
      const v = variants[turn++ % variants.length]!;
      const r = request(v.options, (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (status !== 200) chunks.push(c);
        });
        res.on('end', () => resolve(status === 200 ? { status, bytes } : { status, bytes, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      r.on('error', reject);
      r.end(v.body);
    });

  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let okBodyBytes = -1;
  let lastEnd = 0;
  const t0 = performance.now();
  const hr0Us = Number(process.hrtime.bigint() / 1000n);
  const mStart = t0 + job.warmupMs;
  const mEnd = mStart + job.measureMs;

  const loop = async () => {
    for (;;) {
      const s = performance.now();
      if (s >= mEnd) return;
      let out: Outcome;
      try {
        out = await fire();
      } catch (e) {
        out = { status: 0, bytes: 0, text: `transport error: ${(e as Error).message}` };
      }
      const e = performance.now();
      if (out.status !== 200) {
        errors++;
        firstError ??= `HTTP ${out.status}: ${out.text ?? ''}`;
      } else if (okBodyBytes < 0) okBodyBytes = out.bytes;
      if (s >= mStart) {
        latencies.push(e - s);
        if (e > lastEnd) lastEnd = e;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));

  return {
    id: job.id,
    latencies: Float64Array.from(latencies),
    elapsedMs: Math.max(lastEnd, mEnd) - mStart,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    okBodyBytes,
    windowUs: [hr0Us + job.warmupMs * 1000, hr0Us + (job.warmupMs + job.measureMs) * 1000],
  };
}

if (process.send) {
  process.on('message', (job: LoadJob) => {
    void runJob(job).then((r) => process.send!(r));
  });
  process.on('disconnect', () => {
    for (const a of agents.values()) a.destroy();
    process.exit(0);
  });
}
