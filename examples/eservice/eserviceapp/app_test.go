package eserviceapp

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
	good := Config{Addr: "127.0.0.1:0", DataDir: "d", IdPMetadataURL: DefaultIdPMetadataURL}
	tests := []struct {
		name  string
		edit  func(*Config)
		wants []string
	}{
		{"good", func(*Config) {}, nil},
		{"localhost", func(c *Config) { c.Addr = "localhost:8443" }, nil},
		{"https metadata", func(c *Config) { c.IdPMetadataURL = "https://idp.example.hr/saml/metadata" }, nil},
		{"public address", func(c *Config) { c.Addr = ":8443" }, []string{"-addr"}},
		{"http metadata off loopback", func(c *Config) { c.IdPMetadataURL = "http://idp.example.hr/metadata" }, []string{"-idp-metadata"}},
		{"everything wrong", func(c *Config) {
			*c = Config{Addr: "10.0.0.1:80", RetryInterval: -time.Second}
		}, []string{"-addr", "-data", "-idp-metadata", "RetryInterval"}},
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
	require.Equal(t, Config{Addr: DefaultAddr, DataDir: DefaultDataDir, IdPMetadataURL: DefaultIdPMetadataURL, IdPCertFile: DefaultIdPCertFile}, c)
	c, err = ParseArgs([]string{"-idp-entity-id", "urn:x", "-allow-unsigned-metadata"}, io.Discard)
	require.NoError(t, err)
	require.True(t, c.AllowUnsignedMetadata)
	require.Equal(t, "urn:x", c.IdPEntityID)
	require.Equal(t, "urn:x", resolve(c).IdPEntityID)
	require.Equal(t, DefaultIdPMetadataURL, resolve(Config{IdPMetadataURL: DefaultIdPMetadataURL}).IdPEntityID)
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

// runEService starts Run on an ephemeral port and returns its origin and a
// stop function that waits for Run to return.
func runEService(t *testing.T, args ...string) (origin string, out *lockedBuffer, stop func()) {
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

func get(t *testing.T, c *http.Client, u string) (int, []byte) {
	t.Helper()
	resp, err := c.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// TestRun: keys are made on first run and reused on the second; the signed
// metadata verifies with the certificate in the data directory; while the
// issuer is down the public page works and protected pages say sign-in is
// unavailable, with no redirect anywhere.
func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "eservice")
	args := []string{"-data", dir, "-idp-metadata", "http://127.0.0.1:1/saml/metadata", "-idp-cert", filepath.Join(dir, "missing.crt")}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var certs [][]byte
	for i := range 2 {
		origin, out, stop := runEService(t, args...)
		status, body := get(t, noRedirect, origin+"/saml/metadata")
		require.Equal(t, http.StatusOK, status)
		crt, err := readCertificate(filepath.Join(dir, KeyName+".crt"))
		require.NoError(t, err)
		certs = append(certs, crt.Raw)
		md, err := metadata.Parse(body, metadata.ParseOptions{Verifier: &dsig.Verifier{Certificates: []*x509.Certificate{crt}}})
		require.NoError(t, err, "run %d", i)
		require.Equal(t, origin+"/saml/metadata", md.EntityID)
		require.NotNil(t, md.SP)

		status, _ = get(t, noRedirect, origin+"/readyz")
		require.Equal(t, http.StatusServiceUnavailable, status)
		status, body = get(t, noRedirect, origin+"/")
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, string(body), "waiting for the issuer metadata")
		for _, p := range []string{"/substantial", "/high", "/profile"} {
			status, body = get(t, noRedirect, origin+p)
			require.Equal(t, http.StatusServiceUnavailable, status, p)
			require.Contains(t, string(body), "Sign-in unavailable")
		}
		require.Eventually(t, func() bool {
			return bytes.Contains([]byte(out.String()), []byte("note: issuer metadata not trusted yet"))
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
	require.ElementsMatch(t, []string{KeyName + ".crt", KeyName + ".key", "cookie.key"}, names)
}

// TestTrustModes: the issuer metadata is trusted only with a signature by
// the configured certificate, or unsigned with the explicit option, and
// only for the configured entityID.
func TestTrustModes(t *testing.T) {
	keys := newTestKeys(t)
	other := newTestKeys(t)
	signed, unsigned := keys.idpMetadata(t, true), keys.idpMetadata(t, false)
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
		entityID string
		allow    bool
		wantErr  error
		wantMode string
	}{
		{"signed, certificate file", signed, keys.certFile, testIdPEntityID, false, nil, "signature verified"},
		{"signed, other certificate", signed, other.certFile, testIdPEntityID, false, partner.ErrSource, ""},
		{"unsigned, certificate file", unsigned, keys.certFile, testIdPEntityID, false, partner.ErrSource, ""},
		{"other entityID", signed, keys.certFile, "http://127.0.0.1:9999/saml/metadata", false, partner.ErrSource, ""},
		{"no certificate file", signed, filepath.Join(t.TempDir(), "none.crt"), testIdPEntityID, false, ErrCertMissing, ""},
		{"no certificate file, allowed unsigned", unsigned, "", testIdPEntityID, true, nil, "UNSIGNED"},
		{"unusable certificate file", signed, keys.keyFile, testIdPEntityID, false, ErrDataDir, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc := resolve(Config{IdPMetadataURL: serve(tc.doc) + "/saml/metadata", IdPEntityID: tc.entityID, IdPCertFile: tc.cert, AllowUnsignedMetadata: tc.allow})
			reg, mode, err := buildRegistry(context.Background(), rc, log)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Nil(t, reg)
				return
			}
			require.NoError(t, err)
			require.Contains(t, mode, tc.wantMode)
			_, err = reg.Lookup(context.Background(), testIdPEntityID)
			require.NoError(t, err)
		})
	}
}

// TestTrustedIdPBeforeLoad: nothing is trusted before the metadata loads.
func TestTrustedIdPBeforeLoad(t *testing.T) {
	var s trustedIdP
	p, err := s.Lookup(context.Background(), testIdPEntityID)
	require.Nil(t, p)
	require.ErrorIs(t, err, partner.ErrUnknownPartner)
	var le *partner.LookupError
	require.True(t, errors.As(err, &le))
}
