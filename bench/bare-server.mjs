// Baseline for `npm run bench`: a bare node:http server that reads the body, JSON.parses it and answers 200 with a
// fixed ListResourceTags-sized JSON body. Plain JavaScript run by plain node, as Trent's built server is, so that
// start-up times compare. Listens on the port given as its argument (default 0); prints
// `bare listening on <url>` once listening.
import { createServer } from 'node:http';

const BODY = JSON.stringify({
  Tags: Array.from({ length: 10 }, (_, i) => ({ TagKey: `tag-${i}`, TagValue: `value-${i}` })),
  Truncated: false,
});
const HEADERS = {
  'Content-Type': 'application/x-amz-json-1.1',
  'Content-Length': Buffer.byteLength(BODY),
  'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
};

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end('{"__type":"SerializationException"}');
      return;
    }
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`bare listening on http://127.0.0.1:${server.address().port}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
