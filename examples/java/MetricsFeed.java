// A feed that pushes one small binary sample per event to a collector, and asks for a large
// receive buffer for the collector's acknowledgements once it is already connected.
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;

public class MetricsFeed {
    private static final int RCVBUF = 4 * 1024 * 1024;

    public void run(String collector, BlockingQueue<double[]> samples) throws IOException, InterruptedException {
        Socket s = new Socket(collector, 2003);
        s.setReceiveBufferSize(RCVBUF);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        while (true) {
            double[] sample = samples.take();
            out.writeDouble(sample[0]);
        }
    }
}
