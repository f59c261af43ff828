// A price-quote client: sends a request (a header line, then the JSON body) in one write and takes
// the reply out of the stream once its whole line has arrived.
'use strict';
const net = require('node:net');

const HOST = process.env.QUOTE_HOST || '127.0.0.1';
const PORT = 7070;

function requestQuotes(symbols, onQuote) {
  const body = JSON.stringify({ symbols });
  const sock = net.connect(PORT, HOST, () => {
    sock.write(`QUOTE ${Buffer.byteLength(body)}\n${body}`);
  });
  let pending = '';
  sock.on('data', (chunk) => {
    pending += chunk;
    const end = pending.indexOf('\n');
    if (end < 0) return;
    const reply = JSON.parse(pending.slice(0, end));
    for (const q of reply.quotes) onQuote(q.symbol, q.price);
    sock.end();
  });
  sock.on('error', (err) => console.error('quote service:', err.message));
}

requestQuotes(['ACME', 'INIT'], (symbol, price) => console.log(symbol, price));
