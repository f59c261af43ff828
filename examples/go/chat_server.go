// A line-oriented chat server: clients send "NICK name", "SAY text" or "QUIT".
package main

import (
	"log"
	"net"
	"strings"
	"sync"
)

type server struct {
	mu      sync.Mutex
	clients map[net.Conn]string
}

func main() {
	ln, err := net.Listen("tcp", ":6667")
	if err != nil {
		log.Fatal(err)
	}
	s := &server{clients: make(map[net.Conn]string)}
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Print(err)
			continue
		}
		// Big buffers so a slow reader never throttles a client.
		conn.(*net.TCPConn).SetReadBuffer(4 << 20)
		go s.handle(conn)
	}
}

func (s *server) handle(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 1024)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			break
		}
		fields := strings.Fields(string(buf[:n]))
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "NICK":
			s.mu.Lock()
			s.clients[conn] = fields[1]
			s.mu.Unlock()
		case "SAY":
			s.broadcast(conn, strings.Join(fields[1:], " "))
		case "QUIT":
			return
		}
	}
	s.mu.Lock()
	delete(s.clients, conn)
	s.mu.Unlock()
}

// broadcast writes one short line per client: Go's TCP_NODELAY sends each at once.
func (s *server) broadcast(from net.Conn, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	line := []byte(s.clients[from] + ": " + text + "\n")
	for c := range s.clients {
		if c != from {
			c.Write(line)
		}
	}
}
