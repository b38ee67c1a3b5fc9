package issuerapp

import (
	"fmt"
	"io"

	"github.com/eidkit/eidkit/examples/internal/demo"
)

// loadOrCreateSecret returns the size-byte secret kept hex-encoded in
// dir/name, creating it (mode 0600) from rnd on first run.
func loadOrCreateSecret(dir, name string, size int, rnd io.Reader) ([]byte, error) {
	secret, err := demo.LoadOrCreateSecret(dir, name, size, rnd)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDataDir, err)
	}
	return secret, nil
}

// isLoopback reports whether host (an IP literal or "localhost") names the
// local machine.
func isLoopback(host string) bool { return demo.IsLoopback(host) }

// checkLoopbackAddr refuses a listen address that is not on loopback: the
// example speaks plain HTTP, which is acceptable only there.
func checkLoopbackAddr(addr string) error {
	if err := demo.CheckLoopbackAddr(addr); err != nil {
		return fmt.Errorf("%w: -addr %q: %w", ErrConfig, addr, err)
	}
	return nil
}
