// Runs autocannon in its own process; bodies are cycled so each request can differ.
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
let i = 0;
const result = await autocannon({
  url: opts.url,
  method: opts.method ?? 'GET',
  headers: opts.headers ?? {},
  connections: opts.connections ?? 10,
  duration: opts.seconds ?? 5,
  requests: [
    {
      setupRequest(req) {
        if (opts.bodies?.length) req.body = opts.bodies[i++ % opts.bodies.length];
        return req;
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx }));
