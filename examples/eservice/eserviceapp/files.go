package eserviceapp

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

// loadOrCreateSecret returns the size-byte secret kept hex-encoded in
// dir/name, creating it (mode 0600) from rnd on first run.
func loadOrCreateSecret(dir, name string, size int, rnd io.Reader) ([]byte, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err == nil {
		secret, derr := hex.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(secret) != size {
			return nil, fmt.Errorf("%w: %s does not hold %d hex-encoded bytes", ErrDataDir, path, size)
		}
		return secret, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrDataDir, err)
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	secret := make([]byte, size)
	if _, err := io.ReadFull(rnd, secret); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDataDir, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDataDir, err)
	}
	_, werr := f.WriteString(hex.EncodeToString(secret) + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("%w: %w", ErrDataDir, werr)
	}
	return secret, nil
}

// isLoopback reports whether host (an IP literal or "localhost") names the
// local machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// checkLoopbackAddr refuses a listen address that is not on loopback: the
// example speaks plain HTTP, which is acceptable only there.
func checkLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: -addr %q: %w", ErrConfig, addr, err)
	}
	if !isLoopback(host) {
		return fmt.Errorf("%w: -addr %q: plain HTTP is served on loopback only (127.0.0.1, localhost)", ErrConfig, addr)
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.Is6() {
		// The HTTP-POST binding's page names its form target in a
		// Content-Security-Policy, which cannot express IPv6 literals.
		return fmt.Errorf("%w: -addr %q: use 127.0.0.1; IPv6 literals do not work with the HTTP-POST binding", ErrConfig, addr)
	}
	return nil
}
