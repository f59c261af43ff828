// The same client, corrected: one write per request, and the reply read line by line.
using System;
using System.IO;
using System.Net.Sockets;
using System.Text;

class RpcClient
{
    static void Main(string[] args)
    {
        using var client = new TcpClient(args[0], 7000);
        NetworkStream stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.UTF8);
        for (int i = 0; i < 1000; i++)
        {
            byte[] body = Encoding.UTF8.GetBytes("{\"op\":\"ping\"}\n");
            stream.Write(body, 0, body.Length);

            string text = reader.ReadLine();
            if (text != "pong") Console.WriteLine($"unexpected reply: {text}");
        }
    }
}
