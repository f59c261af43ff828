// A line-oriented chat server: "NICK name", "SAY text", "QUIT". readline hands over whole lines,
// however TCP cut them.
import net from 'node:net';
import readline from 'node:readline';

const clients = new Set();

const server = net.createServer((conn) => {
  clients.add(conn);
  let nick = 'guest';
  const lines = readline.createInterface({ input: conn });
  lines.on('line', (line) => {
    const [command, ...words] = line.trim().split(' ');
    if (command === 'NICK') nick = words[0];
    else if (command === 'SAY') for (const c of clients) c.write(`${nick}: ${words.join(' ')}\n`);
    else if (command === 'QUIT') conn.end('bye\n');
  });
  conn.on('close', () => clients.delete(conn));
});

server.listen(6667);
