// A key-value client: each request is a length prefix and a key written separately, and the
// reply is read once as if it were the whole answer.
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
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    public String get(String key) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        out.writeInt(k.length);
        out.write(k);
        byte[] reply = new byte[4096];
        int n = in.read(reply);
        String value = new String(reply, 0, n, StandardCharsets.UTF_8);
        return value.equals("NOT_FOUND") ? null : value;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
