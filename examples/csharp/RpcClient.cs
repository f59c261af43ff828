// A request/response client: a header and a body written separately, then the reply read once.
using System;
using System.Net.Sockets;
using System.Text;

class RpcClient
{
    static void Main(string[] args)
    {
        using var client = new TcpClient(args[0], 7000);
        NetworkStream stream = client.GetStream();
        for (int i = 0; i < 1000; i++)
        {
            byte[] body = Encoding.UTF8.GetBytes("{\"op\":\"ping\"}");
            byte[] header = BitConverter.GetBytes(body.Length);
            stream.Write(header, 0, header.Length);
            stream.Write(body, 0, body.Length);

            byte[] reply = new byte[512];
            int n = stream.Read(reply, 0, reply.Length);
            string text = Encoding.UTF8.GetString(reply, 0, n);
            if (text != "pong") Console.WriteLine($"unexpected reply: {text}");
        }
    }
}
