// The gateway benchmark's provider: its own process, precomputed bodies. `POST /v1/chat/completions` answers
// the OpenAI chat JSON, or with `"stream":true` the 500-chunk SSE body written at once; a prompt holding
// `slow-stream` gets 100 events paced 50 ms apart (for memory with many streams open). Sends `{ port }` over
// IPC when listening.
import { createServer } from 'node:http';
import { openaiChatBody, openaiStreamBody } from './payloads.mjs';

const chat = Buffer.from(openaiChatBody());
const stream = Buffer.from(openaiStreamBody());
const slowEvents = stream
  .toString()
  .split('\n\n')
  .filter((frame) => frame !== '')
  .slice(0, 100)
  .map((frame) => `${frame}\n\n`);

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString();
    if (!text.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': chat.length });
      res.end(chat);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    if (!text.includes('slow-stream')) {
      res.end(stream);
      return;
    }
    let index = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      if (index < slowEvents.length - 1) res.write(slowEvents[index++]);
      else {
        clearInterval(timer);
        res.end(`${slowEvents[index]}data: [DONE]\n\n`);
      }
    }, 50);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
