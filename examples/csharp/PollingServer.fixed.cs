// The same server, corrected: it waits for readable sockets with Socket.Select, tells
// SocketError.WouldBlock apart from real errors, and sends every byte it echoes.
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

class PollingServer
{
    private readonly List<Socket> _clients = new List<Socket>();

    public void Run()
    {
        var listener = new TcpListener(IPAddress.Any, 9000);
        listener.Start();
        byte[] buf = new byte[4096];
        while (true)
        {
            if (listener.Pending())
            {
                Socket c = listener.AcceptSocket();
                c.Blocking = false;
                _clients.Add(c);
            }
            var readable = new List<Socket>(_clients);
            if (readable.Count == 0) continue;
            Socket.Select(readable, null, null, 100000);
            foreach (Socket c in readable)
            {
                try
                {
                    int n = c.Receive(buf);
                    if (n == 0) { c.Close(); _clients.Remove(c); continue; }
                    int sent = 0;
                    while (sent < n)
                    {
                        try
                        {
                            sent += c.Send(buf, sent, n - sent, SocketFlags.None);
                        }
                        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                        {
                            c.Poll(100000, SelectMode.SelectWrite);
                        }
                    }
                }
                catch (SocketException e) when (e.SocketErrorCode != SocketError.WouldBlock)
                {
                    c.Close();
                    _clients.Remove(c);
                }
            }
        }
    }
}
