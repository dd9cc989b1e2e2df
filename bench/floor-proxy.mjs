// The floor of the gateway benchmark: the smallest useful node:http reverse proxy (keep-alive upstream
// connections, bodies piped both ways, nothing parsed). Usage: node bench/floor-proxy.mjs <upstream port>
import { Agent, createServer, request } from 'node:http';

const upstream = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((req, res) => {
  const forward = request(
    { host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: req.headers, agent },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forward.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  res.on('close', () => {
    if (!res.writableFinished) forward.destroy();
  });
  req.pipe(forward);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
