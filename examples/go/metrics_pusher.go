// Pushes one small statsd-style line per sample, as it is taken. Go sets TCP_NODELAY on every
// TCP connection, so each line leaves at once and nothing waits for a delayed ACK: Socklint has
// nothing to say here (the same loop in C, Java or C# would stall behind Nagle).
package main

import (
	"fmt"
	"net"
	"runtime"
	"time"
)

func main() {
	conn, err := net.Dial("tcp", "127.0.0.1:8125")
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	var m runtime.MemStats
	for {
		runtime.ReadMemStats(&m)
		line := []byte(fmt.Sprintf("heap.alloc:%d|g\n", m.HeapAlloc))
		if _, err := conn.Write(line); err != nil {
			return
		}
		if _, err := conn.Write([]byte("goroutines:" + fmt.Sprint(runtime.NumGoroutine()) + "|g\n")); err != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
