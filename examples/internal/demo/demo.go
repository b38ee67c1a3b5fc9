// Package demo holds what the runnable examples (issuer and eservice) share:
// secrets kept in their data directory and the loopback-only rule for their
// plain-HTTP development mode. It is not part of eidkit's API.
package demo

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// Errors returned by this package.
var (
	// ErrBadSecret reports a secret file that exists but does not hold the
	// expected number of hex-encoded bytes; it is never overwritten.
	ErrBadSecret = errors.New("demo: secret file is unusable")
	// ErrNotLoopback reports a listen address off the local machine, or an
	// IPv6 literal the HTTP-POST binding's CSP cannot name.
	ErrNotLoopback = errors.New("demo: plain HTTP is served on loopback only (127.0.0.1, localhost)")
)

// LoadOrCreateSecret returns the size-byte secret kept hex-encoded in
// dir/name, creating it (mode 0600) from rnd (nil means crypto/rand) on first
// run. An existing file is never overwritten.
func LoadOrCreateSecret(dir, name string, size int, rnd io.Reader) ([]byte, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err == nil {
		secret, derr := hex.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(secret) != size {
			return nil, fmt.Errorf("%w: %s does not hold %d hex-encoded bytes", ErrBadSecret, path, size)
		}
		return secret, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	secret := make([]byte, size)
	if _, err := io.ReadFull(rnd, secret); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	_, werr := f.WriteString(hex.EncodeToString(secret) + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, werr
	}
	return secret, nil
}

// IsLoopback reports whether host (an IP literal or "localhost") names the
// local machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// CheckLoopbackAddr refuses a listen address that is not on loopback: the
// examples speak plain HTTP, which is acceptable only there. IPv6 literals are
// refused too: the HTTP-POST binding's page names its form target in a
// Content-Security-Policy, which cannot express them.
func CheckLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if !IsLoopback(host) {
		return ErrNotLoopback
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.Is6() {
		return fmt.Errorf("%w: use 127.0.0.1; IPv6 literals do not work with the HTTP-POST binding", ErrNotLoopback)
	}
	return nil
}
