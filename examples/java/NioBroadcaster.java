// A non-blocking server that broadcasts each line it reads to every client, writing once per
// client and forgetting whatever did not fit in that client's send buffer.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

public class NioBroadcaster {
    private final List<SocketChannel> clients = new ArrayList<>();

    public void serve(int port) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(port));
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        while (true) {
            selector.select();
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (key.isAcceptable()) {
                    SocketChannel client = server.accept();
                    client.configureBlocking(false);
                    client.register(selector, SelectionKey.OP_READ);
                    clients.add(client);
                } else if (key.isReadable()) {
                    SocketChannel from = (SocketChannel) key.channel();
                    ByteBuffer buf = ByteBuffer.allocate(1024);
                    if (from.read(buf) < 0) {
                        clients.remove(from);
                        from.close();
                        continue;
                    }
                    buf.flip();
                    for (SocketChannel c : clients) {
                        c.write(buf.duplicate());
                    }
                }
            }
        }
    }
}
