// Package quote asks a quote server for prices over one TCP connection.
// The wire format is a 4-byte big-endian length, then a JSON body, both ways.
package quote

import (
	"encoding/binary"
	"encoding/json"
	"io"
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
	conn net.Conn
}

// Dial keeps Go's default TCP_NODELAY: the request is written in one piece anyway.
func Dial(addr string) (*Client, error) {
	d := net.Dialer{Timeout: 3 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Client{conn: c}, nil
}

func (c *Client) Quote(symbols ...string) (*Response, error) {
	body, err := json.Marshal(Request{Symbols: symbols})
	if err != nil {
		return nil, err
	}
	// Header and body in one buffer, one write.
	msg := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(msg, uint32(len(body)))
	copy(msg[4:], body)
	if _, err := c.conn.Write(msg); err != nil {
		return nil, err
	}
	// The reply is framed: read its length, then exactly that many bytes.
	var hdr [4]byte
	if _, err := io.ReadFull(c.conn, hdr[:]); err != nil {
		return nil, err
	}
	reply := make([]byte, binary.BigEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(c.conn, reply); err != nil {
		return nil, err
	}
	var resp Response
	if err := json.Unmarshal(reply, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

func (c *Client) Close() error { return c.conn.Close() }
