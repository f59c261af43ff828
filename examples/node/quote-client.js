// A price-quote client: sends a request (a header line, then the JSON body) on one connection and
// handles each reply as it arrives.
'use strict';
const net = require('node:net');

const HOST = process.env.QUOTE_HOST || '127.0.0.1';
const PORT = 7070;

function requestQuotes(symbols, onQuote) {
  const body = JSON.stringify({ symbols });
  const sock = net.connect(PORT, HOST, () => {
    sock.write(`QUOTE ${Buffer.byteLength(body)}\n`);
    sock.write(body);
  });
  sock.on('data', (chunk) => {
    const reply = JSON.parse(chunk);
    for (const q of reply.quotes) onQuote(q.symbol, q.price);
    sock.end();
  });
  sock.on('error', (err) => console.error('quote service:', err.message));
}

requestQuotes(['ACME', 'INIT'], (symbol, price) => console.log(symbol, price));
