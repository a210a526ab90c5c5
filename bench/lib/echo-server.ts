import http from 'node:http';

/**
 * The floor for a small JSON request: read the whole body, answer `{}`. Nothing else: no routing,
 * no parsing, no validation, no storage. Run as a child process by bench/lib/server.ts.
 */
const body = Buffer.from('{}');
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
