// The same feed, corrected: Nagle off for the latency-sensitive samples, and the receive buffer
// sized before the socket connects.
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;

public class MetricsFeed {
    private static final int RCVBUF = 4 * 1024 * 1024;

    public void run(String collector, BlockingQueue<double[]> samples) throws IOException, InterruptedException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setReceiveBufferSize(RCVBUF);
        s.connect(new InetSocketAddress(collector, 2003));
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        while (true) {
            double[] sample = samples.take();
            out.writeDouble(sample[0]);
        }
    }
}
