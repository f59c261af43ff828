// A line-oriented chat server: "NICK name", "SAY text", "QUIT".
import net from 'node:net';

const clients = new Set();

const server = net.createServer((conn) => {
  clients.add(conn);
  let nick = 'guest';
  conn.on('data', (data) => {
    const [command, ...words] = data.toString().trim().split(' ');
    if (command === 'NICK') nick = words[0];
    else if (command === 'SAY') for (const c of clients) c.write(`${nick}: ${words.join(' ')}\n`);
    else if (command === 'QUIT') conn.end('bye\n');
  });
  conn.on('close', () => clients.delete(conn));
});

server.listen(6667);
