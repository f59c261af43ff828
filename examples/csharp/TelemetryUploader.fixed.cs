// The same uploader, corrected: buffers sized before Connect(), the default send buffer kept, and
// records batched into one send per buffer.
using System.IO;
using System.Net;
using System.Net.Sockets;

class TelemetryUploader
{
    private readonly Socket _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public void Upload(IPEndPoint collector, byte[][] records)
    {
        _socket.ReceiveBufferSize = 2 * 1024 * 1024;
        _socket.Connect(collector);
        var batch = new MemoryStream();
        foreach (var r in records) batch.Write(r, 0, r.Length);
        _socket.Send(batch.ToArray());
    }
}
