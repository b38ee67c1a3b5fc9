package issuerapp

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/stretchr/testify/require"
)

// TestConfigValidate: every bad field is named, all at once.
func TestConfigValidate(t *testing.T) {
	good := Config{Addr: "127.0.0.1:0", DataDir: "d", SPMetadataURL: DefaultSPMetadataURL}
	tests := []struct {
		name  string
		edit  func(*Config)
		wants []string
	}{
		{"good", func(*Config) {}, nil},
		{"https metadata", func(c *Config) { c.SPMetadataURL = "https://sp.example.hr/saml/metadata" }, nil},
		{"ipv6 loopback", func(c *Config) { c.Addr = "[::1]:8444" }, []string{"-addr", "IPv6"}},
		{"public address", func(c *Config) { c.Addr = "0.0.0.0:8444" }, []string{"-addr"}},
		{"no port", func(c *Config) { c.Addr = "127.0.0.1" }, []string{"-addr"}},
		{"http metadata off loopback", func(c *Config) { c.SPMetadataURL = "http://sp.example.hr/metadata" }, []string{"-sp-metadata"}},
		{"everything wrong", func(c *Config) {
			*c = Config{Addr: "example.hr:80", RetryInterval: -1, SPMetadataURL: "ftp://x"}
		}, []string{"-addr", "-data", "-sp-metadata", "RetryInterval"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.edit(&c)
			err := c.Validate()
			if tc.wants == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrConfig)
			for _, w := range tc.wants {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestParseArgs(t *testing.T) {
	c, err := ParseArgs(nil, io.Discard)
	require.NoError(t, err)
	require.Equal(t, Config{Addr: DefaultAddr, DataDir: DefaultDataDir, SPMetadataURL: DefaultSPMetadataURL, SPCertFile: DefaultSPCertFile}, c)
	c, err = ParseArgs([]string{"-addr", "localhost:9", "-data", "x", "-allow-unsigned-metadata", "-show-codes"}, io.Discard)
	require.NoError(t, err)
	require.True(t, c.AllowUnsignedMetadata && c.ShowCodes)
	require.Equal(t, "localhost:9", c.Addr)
	_, err = ParseArgs([]string{"extra"}, io.Discard)
	require.ErrorIs(t, err, ErrConfig)
	_, err = ParseArgs([]string{"-h"}, io.Discard)
	require.ErrorIs(t, err, flag.ErrHelp)
	require.NoError(t, Run(context.Background(), []string{"-h"}, io.Discard))
	require.ErrorIs(t, Run(context.Background(), []string{"-addr", "192.0.2.1:80"}, io.Discard), ErrConfig)
}

// lockedBuffer is a concurrency-safe console.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var openRE = regexp.MustCompile(`open\s+(http://\S+)/\n`)

// runIssuer starts Run on an ephemeral port and returns its origin and a
// stop function that waits for Run to return.
func runIssuer(t *testing.T, args ...string) (origin string, out *lockedBuffer, stop func()) {
	t.Helper()
	out = &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), out) }()
	deadline := time.Now().Add(60 * time.Second) // a bound on waiting, not a timing assertion
	for {
		if m := openRE.FindStringSubmatch(out.String()); m != nil {
			origin = m[1]
			break
		}
		select {
		case err := <-done:
			cancel()
			require.FailNow(t, "Run returned early", "%v\n%s", err, out.String())
		default:
		}
		require.True(t, time.Now().Before(deadline), out.String())
		time.Sleep(10 * time.Millisecond)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-done)
		})
	}
	t.Cleanup(stop)
	return origin, out, stop
}

func get(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// TestRun: keys are made on first run and reused on the second; the
// signed metadata verifies with the certificate in the data directory; the
// e-service is not trusted while it is down, and the issuer keeps running.
func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "issuer")
	args := []string{"-data", dir, "-sp-metadata", "http://127.0.0.1:1/saml/metadata", "-sp-cert", filepath.Join(dir, "missing.crt")}
	var certs [][]byte
	for i := range 2 {
		origin, out, stop := runIssuer(t, args...)
		status, body := get(t, origin+"/saml/metadata")
		require.Equal(t, http.StatusOK, status)
		crt, err := readCertificate(filepath.Join(dir, KeyName+".crt"))
		require.NoError(t, err)
		certs = append(certs, crt.Raw)
		md, err := metadata.Parse(body, metadata.ParseOptions{Verifier: &dsig.Verifier{Certificates: []*x509.Certificate{crt}}})
		require.NoError(t, err, "run %d", i)
		require.Equal(t, origin+"/saml/metadata", md.EntityID)
		status, _ = get(t, origin+"/readyz")
		require.Equal(t, http.StatusServiceUnavailable, status)
		status, body = get(t, origin+"/")
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, string(body), "None yet: waiting for the e-service metadata")
		require.Contains(t, string(body), `<html lang="en">`)
		require.Eventually(t, func() bool {
			return bytes.Contains([]byte(out.String()), []byte("note: e-service metadata not trusted yet"))
		}, 30*time.Second, 10*time.Millisecond)
		stop()
	}
	require.Equal(t, certs[0], certs[1], "the second run reuses the key pair")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	require.ElementsMatch(t, []string{KeyName + ".crt", KeyName + ".key", TOTPFile, "persistent-id.key"}, names)
}

// TestTrustModes: the e-service metadata is trusted only with a signature
// by the configured certificate, or unsigned with the explicit option.
func TestTrustModes(t *testing.T) {
	spKeys, err := newTestSPKeys(t)
	require.NoError(t, err)
	other, err := newTestSPKeys(t)
	require.NoError(t, err)
	signed, unsigned := spKeys.metadata(t, true), spKeys.metadata(t, false)
	serve := func(doc []byte) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(doc) }))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	log := slog.New(slog.DiscardHandler)
	tests := []struct {
		name     string
		doc      []byte
		cert     string
		allow    bool
		wantErr  error
		wantMode string
	}{
		{"signed, certificate file", signed, spKeys.certFile, false, nil, "signature verified"},
		{"signed, other certificate", signed, other.certFile, false, partner.ErrSource, ""},
		{"unsigned, certificate file", unsigned, spKeys.certFile, false, partner.ErrSource, ""},
		{"no certificate file", signed, filepath.Join(t.TempDir(), "none.crt"), false, ErrCertMissing, ""},
		{"no certificate file, allowed unsigned", unsigned, filepath.Join(t.TempDir(), "none.crt"), true, nil, "UNSIGNED"},
		{"unusable certificate file", signed, spKeys.keyFile, false, ErrDataDir, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc := resolve(Config{DataDir: t.TempDir(), SPMetadataURL: serve(tc.doc) + "/saml/metadata", SPCertFile: tc.cert, AllowUnsignedMetadata: tc.allow})
			reg, mode, err := buildRegistry(context.Background(), rc, log)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Nil(t, reg)
				return
			}
			require.NoError(t, err)
			require.Contains(t, mode, tc.wantMode)
			_, err = reg.Lookup(context.Background(), testSPEntityID)
			require.NoError(t, err)
		})
	}
}

// TestTrustedSPsBeforeLoad: nothing is trusted before the metadata loads.
func TestTrustedSPsBeforeLoad(t *testing.T) {
	var s trustedSPs
	p, err := s.Lookup(context.Background(), testSPEntityID)
	require.Nil(t, p)
	require.ErrorIs(t, err, partner.ErrUnknownPartner)
	var le *partner.LookupError
	require.True(t, errors.As(err, &le))
	partners, _ := s.Status()
	require.Empty(t, partners)
}

// TestWatchRefusesBadURL: a configuration error of the registry ends the
// watcher at once rather than retrying forever.
func TestWatchRefusesBadURL(t *testing.T) {
	spKeys, err := newTestSPKeys(t)
	require.NoError(t, err)
	rc := resolve(Config{SPMetadataURL: "http://192.0.2.1/metadata", SPCertFile: spKeys.certFile})
	var s trustedSPs
	err = s.Watch(context.Background(), trustConfig(rc), slog.New(slog.DiscardHandler))
	require.ErrorIs(t, err, ErrConfig)
}
