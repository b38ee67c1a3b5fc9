package cmsnet

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMiddleware(t *testing.T) {
	p := loadFile(t, "broker.yaml")
	proxy := netip.MustParsePrefix("10.1.0.0/24")
	for _, tc := range []struct {
		name    string
		cfg     MiddlewareConfig
		remote  string
		local   string // local address; "" means none in the context
		xff     []string
		allowed bool
	}{
		{"C7 granted peer", MiddlewareConfig{}, "10.20.5.9:5555", "10.1.0.10:8443", nil, true},
		{"ungranted peer", MiddlewareConfig{}, "10.20.6.9:5555", "10.1.0.10:8443", nil, false},
		{"wrong port", MiddlewareConfig{}, "10.20.5.9:5555", "10.1.0.10:8444", nil, false},
		{"no local addr, fixed port", MiddlewareConfig{Port: 8443}, "10.20.5.9:5555", "", nil, true},
		{"no local addr, fail closed", MiddlewareConfig{}, "10.20.5.9:5555", "", nil, false},
		{"forwarded-for ignored without trust", MiddlewareConfig{}, "10.1.0.5:5555", "10.1.0.10:8443", []string{"10.20.5.9"}, false},
		{"trusted proxy", MiddlewareConfig{AllowForwardedFrom: []netip.Prefix{proxy}}, "10.1.0.5:5555", "10.1.0.10:8443", []string{"10.20.5.9"}, true},
		{"spoofed left-most hop ignored", MiddlewareConfig{AllowForwardedFrom: []netip.Prefix{proxy}}, "10.1.0.5:5555", "10.1.0.10:8443", []string{"10.20.5.9, 10.66.0.1"}, false},
		{"right-most untrusted across headers", MiddlewareConfig{AllowForwardedFrom: []netip.Prefix{proxy}}, "10.1.0.5:5555", "10.1.0.10:8443", []string{"10.66.0.1", "10.20.5.9, 10.1.0.7"}, true},
		{"garbage hop", MiddlewareConfig{AllowForwardedFrom: []netip.Prefix{proxy}}, "10.1.0.5:5555", "10.1.0.10:8443", []string{"10.20.5.9, nonsense"}, false},
		{"v4-mapped peer", MiddlewareConfig{}, "[::ffff:10.20.5.9]:5555", "10.1.0.10:8443", nil, true},
		{"bad remote", MiddlewareConfig{}, "nonsense", "10.1.0.10:8443", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			cfg := tc.cfg
			cfg.Policy, cfg.Service, cfg.Environment = p, "broker", EnvCMS
			cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			mw, err := Middleware(cfg)
			require.NoError(t, err)
			h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
			r := httptest.NewRequest(http.MethodGet, "/saml/slo", nil)
			r.RemoteAddr = tc.remote
			if tc.local != "" {
				la := net.TCPAddrFromAddrPort(netip.MustParseAddrPort(tc.local))
				r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, la))
			}
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if tc.allowed {
				require.Equal(t, http.StatusTeapot, w.Code)
				require.Empty(t, logs.String())
			} else {
				require.Equal(t, http.StatusForbidden, w.Code)
				require.Contains(t, logs.String(), "request denied")
			}
		})
	}
}

func TestMiddlewareConfigValidate(t *testing.T) {
	p := loadFile(t, "broker.yaml")
	_, err := Middleware(MiddlewareConfig{})
	require.ErrorIs(t, err, ErrConfig)
	_, err = Middleware(MiddlewareConfig{Policy: p, Service: "broker", Environment: EnvTESTANG,
		AllowForwardedFrom: []netip.Prefix{{}}, ForwardedHeader: "x-forwarded-for"})
	require.ErrorIs(t, err, ErrConfig)
	for _, s := range []string{"not published", "invalid prefix", "canonical"} {
		require.ErrorContains(t, err, s)
	}
}

// TestMiddlewareServer runs the middleware behind a real listener so the
// local address comes from net/http itself.
func TestMiddlewareServer(t *testing.T) {
	src := []byte(`version: 1
entities: [{id: ops, connection: kivs, prefixes: [127.0.0.0/8]}]
publications:
  - service: svc
    owner: ops
    hosting: institution
    environments:
      - environment: cms
        access: public
        addresses: [10.0.0.1]
        endpoints: [{protocol: tcp, port: 1, endPort: 65535}]
`)
	p, err := Load(src, FormatYAML, Config{})
	require.NoError(t, err)
	mw, err := Middleware(MiddlewareConfig{Policy: p, Service: "svc", Environment: EnvCMS, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
}
