// A single-threaded server that polls non-blocking client sockets.
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
            foreach (Socket c in _clients.ToArray())
            {
                try
                {
                    int n = c.Receive(buf);
                    if (n == 0) { c.Close(); _clients.Remove(c); continue; }
                    c.Send(buf, 0, n, SocketFlags.None);
                }
                catch (SocketException)
                {
                    c.Close();
                    _clients.Remove(c);
                }
            }
        }
    }
}
