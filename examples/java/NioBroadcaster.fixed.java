// The same broadcaster, corrected: what a client's send buffer cannot take stays in that client's
// queue, and is written when the Selector reports the channel writable.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

public class NioBroadcaster {
    private final Map<SocketChannel, ArrayDeque<ByteBuffer>> pending = new HashMap<>();

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
                    pending.put(client, new ArrayDeque<>());
                } else if (key.isReadable()) {
                    SocketChannel from = (SocketChannel) key.channel();
                    ByteBuffer buf = ByteBuffer.allocate(1024);
                    if (from.read(buf) < 0) {
                        pending.remove(from);
                        from.close();
                        continue;
                    }
                    buf.flip();
                    for (Map.Entry<SocketChannel, ArrayDeque<ByteBuffer>> e : pending.entrySet()) {
                        e.getValue().add(buf.duplicate());
                        e.getKey().keyFor(selector).interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    }
                } else if (key.isWritable()) {
                    flush((SocketChannel) key.channel(), key);
                }
            }
        }
    }

    private void flush(SocketChannel c, SelectionKey key) throws IOException {
        ArrayDeque<ByteBuffer> queue = pending.get(c);
        while (!queue.isEmpty()) {
            ByteBuffer head = queue.peek();
            c.write(head);
            if (head.hasRemaining()) return;
            queue.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
    }
}
