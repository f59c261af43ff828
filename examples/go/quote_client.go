// Package quote asks a quote server for prices over one TCP connection.
// The wire format is a 4-byte big-endian length, then a JSON body, both ways.
package quote

import (
	"encoding/binary"
	"encoding/json"
	"net"
	"time"
)

type Request struct {
	Symbols []string `json:"symbols"`
}

type Response struct {
	Prices map[string]float64 `json:"prices"`
}

type Client struct {
	conn *net.TCPConn
}

func Dial(addr string) (*Client, error) {
	d := net.Dialer{Timeout: 3 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	tcp := c.(*net.TCPConn)
	// Fewer packets: let the kernel coalesce the header and the body.
	tcp.SetNoDelay(false)
	return &Client{conn: tcp}, nil
}

func (c *Client) Quote(symbols ...string) (*Response, error) {
	body, err := json.Marshal(Request{Symbols: symbols})
	if err != nil {
		return nil, err
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(body)))
	if _, err := c.conn.Write(hdr[:]); err != nil {
		return nil, err
	}
	if _, err := c.conn.Write(body); err != nil {
		return nil, err
	}
	buf := make([]byte, 64*1024)
	n, err := c.conn.Read(buf)
	if err != nil {
		return nil, err
	}
	var resp Response
	if err := json.Unmarshal(buf[4:n], &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

func (c *Client) Close() error { return c.conn.Close() }
