// Ships small telemetry records one by one over a socket tuned after it connected.
using System.Net;
using System.Net.Sockets;

class TelemetryUploader
{
    private readonly Socket _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public void Upload(IPEndPoint collector, byte[][] records)
    {
        _socket.Connect(collector);
        _socket.ReceiveBufferSize = 2 * 1024 * 1024;
        _socket.SendBufferSize = 0;
        byte[] record = new byte[48];
        for (int i = 0; i < records.Length; i++)
        {
            System.Buffer.BlockCopy(records[i], 0, record, 0, record.Length);
            _socket.Send(record, 0, record.Length, SocketFlags.None);
        }
    }
}
