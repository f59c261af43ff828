// The same client, corrected: the request is written through a buffer and flushed once, and the
// reply is framed by its length prefix and read whole.
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

public class KvClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private DataOutputStream out;
    private DataInputStream in;

    public void open(String host, int port) throws IOException {
        socket.connect(new InetSocketAddress(host, port), 2000);
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        in = new DataInputStream(socket.getInputStream());
    }

    public String get(String key) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        out.writeInt(k.length);
        out.write(k);
        out.flush();
        int length = in.readInt();
        if (length < 0) return null;
        byte[] reply = new byte[length];
        in.readFully(reply);
        return new String(reply, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
