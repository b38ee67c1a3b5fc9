package binding

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
)

const sampleLogoutResponse = `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_resp1" InResponseTo="_lr1" Version="2.0"/>`

func fastClient(t *testing.T, cfg SOAPClientConfig) *SOAPClient {
	t.Helper()
	if cfg.RetryWaitMin == 0 {
		cfg.RetryWaitMin, cfg.RetryWaitMax = time.Millisecond, 2*time.Millisecond
	}
	c, err := NewSOAPClient(cfg)
	require.NoError(t, err)
	return c
}

// TestSOAPClientCall covers the back-channel client (SAMLBind §3.2, N14):
// answers, faults, statuses and the retry policy.
func TestSOAPClientCall(t *testing.T) {
	t.Parallel()
	okHandler := func(w http.ResponseWriter, r *http.Request) {
		el, err := ReadSOAP(r, saml.Limits{})
		if err != nil {
			_ = WriteSOAPFault(w, FaultFor(err))
			return
		}
		if el.SelectAttrValue("ID", "") != "_lr1" || r.Header.Get("SOAPAction") != `"`+SOAPAction+`"` {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		_ = WriteSOAP(w, []byte(sampleLogoutResponse))
	}
	tests := []struct {
		name     string
		fails    int // leading attempts answered with failStat
		failStat int
		handler  http.HandlerFunc
		cfg      SOAPClientConfig
		attempts int32
		want     error
		status   int
	}{
		{name: "ok", handler: okHandler, attempts: 1},
		{name: "503 then ok", fails: 2, failStat: http.StatusServiceUnavailable, handler: okHandler, attempts: 3},
		{name: "502 exhausts retries", fails: 10, failStat: http.StatusBadGateway, handler: okHandler, attempts: 3, want: ErrHTTPStatus, status: http.StatusBadGateway},
		{name: "retries disabled", fails: 1, failStat: http.StatusGatewayTimeout, handler: okHandler, cfg: SOAPClientConfig{DisableRetries: true}, attempts: 1, want: ErrHTTPStatus, status: http.StatusGatewayTimeout},
		{name: "400 not retried", fails: 10, failStat: http.StatusBadRequest, handler: okHandler, attempts: 1, want: ErrHTTPStatus, status: http.StatusBadRequest},
		{name: "429 not retried", fails: 10, failStat: http.StatusTooManyRequests, handler: okHandler, attempts: 1, want: ErrHTTPStatus, status: http.StatusTooManyRequests},
		{name: "plain 500 not retried", fails: 10, failStat: http.StatusInternalServerError, handler: okHandler, attempts: 1, want: ErrHTTPStatus, status: http.StatusInternalServerError},
		{name: "fault not retried", handler: func(w http.ResponseWriter, r *http.Request) {
			_ = WriteSOAPFault(w, &Fault{Code: FaultServer, String: "session store down"})
		}, attempts: 1, want: ErrSOAPFault},
		{name: "redirect not followed", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, attempts: 1, want: ErrHTTPStatus, status: http.StatusFound},
		{name: "html answer", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>login</html>")
		}, attempts: 1, want: ErrContentType},
		{name: "bare xml answer", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			_, _ = io.WriteString(w, sampleLogoutResponse)
		}, attempts: 1, want: ErrMalformed},
		{name: "oversize answer", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			_, _ = w.Write(WrapSOAP([]byte("<x>" + strings.Repeat("y", 5000) + "</x>")))
		}, cfg: SOAPClientConfig{Limits: saml.Limits{MaxBytes: 1024}}, attempts: 1, want: ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if int(n.Add(1)) <= tc.fails {
					w.WriteHeader(tc.failStat)
					return
				}
				tc.handler(w, r)
			}))
			defer srv.Close()
			el, err := fastClient(t, tc.cfg).Call(context.Background(), srv.URL+"/slo", []byte(sampleLogout))
			require.Equal(t, tc.attempts, n.Load())
			if tc.want == nil {
				require.NoError(t, err)
				require.Equal(t, "_resp1", el.SelectAttrValue("ID", ""))
				return
			}
			require.ErrorIs(t, err, tc.want)
			require.Nil(t, el)
			if tc.status != 0 {
				se, ok := errors.AsType[*StatusError](err)
				require.True(t, ok, "%v", err)
				require.Equal(t, tc.status, se.StatusCode)
				require.Contains(t, se.Error(), "binding: unexpected HTTP status")
			}
		})
	}
}

func TestSOAPClientFaultDetails(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = WriteSOAPFault(w, &Fault{Code: FaultClient, String: "unknown session"})
	}))
	defer srv.Close()
	_, err := fastClient(t, SOAPClientConfig{}).Call(context.Background(), srv.URL, []byte(sampleLogout))
	f, ok := errors.AsType[*Fault](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, Fault{Code: FaultClient, String: "unknown session"}, *f)
}

// TestSOAPClientTransportRetry: a refused connection is retried, and the
// retries are logged through slog.
func TestSOAPClientTransportRetry(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, err := fastClient(t, SOAPClientConfig{MaxRetries: 2, Logger: logger}).Call(context.Background(), url, []byte(sampleLogout))
	require.Error(t, err)
	require.NotErrorIs(t, err, ErrHTTPStatus)
	require.Equal(t, 3, strings.Count(logs.String(), "request failed"), logs.String())
	require.Contains(t, logs.String(), "component=binding.SOAPClient")
	require.Contains(t, logs.String(), "level=WARN")
}

func TestSOAPClientTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	c := fastClient(t, SOAPClientConfig{Timeout: 50 * time.Millisecond})
	_, err := c.Call(context.Background(), srv.URL, []byte(sampleLogout))
	require.ErrorIs(t, err, context.DeadlineExceeded)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = fastClient(t, SOAPClientConfig{}).Call(ctx, srv.URL, []byte(sampleLogout))
	require.ErrorIs(t, err, context.Canceled)
}

func TestSOAPClientCallRefuses(t *testing.T) {
	t.Parallel()
	c := fastClient(t, SOAPClientConfig{})
	_, err := c.Call(context.Background(), "file:///etc/passwd", []byte(sampleLogout))
	require.ErrorIs(t, err, ErrBadDestination)
	_, err = c.Call(context.Background(), "https://sp.example.org/slo", nil)
	require.ErrorIs(t, err, ErrMissingMessage)
}

func TestSOAPClientConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  SOAPClientConfig
		want []error
	}{
		{name: "zero is valid", cfg: SOAPClientConfig{}},
		{name: "negative timeout", cfg: SOAPClientConfig{Timeout: -1}, want: []error{ErrInvalidConfig}},
		{name: "too many retries", cfg: SOAPClientConfig{MaxRetries: MaxSOAPRetries + 1}, want: []error{ErrInvalidConfig}},
		{name: "negative retries", cfg: SOAPClientConfig{MaxRetries: -1}, want: []error{ErrInvalidConfig}},
		{name: "exclusive retries", cfg: SOAPClientConfig{MaxRetries: 1, DisableRetries: true}, want: []error{ErrInvalidConfig}},
		{name: "waits inverted", cfg: SOAPClientConfig{RetryWaitMin: time.Second, RetryWaitMax: time.Millisecond}, want: []error{ErrInvalidConfig}},
		{name: "negative wait", cfg: SOAPClientConfig{RetryWaitMin: -time.Second}, want: []error{ErrInvalidConfig}},
		{name: "bad limits", cfg: SOAPClientConfig{Limits: saml.Limits{MaxBytes: -1}}, want: []error{saml.ErrInvalidLimits}},
		{name: "all at once", cfg: SOAPClientConfig{Timeout: -1, MaxRetries: -1, Limits: saml.Limits{MaxDepth: -1}}, want: []error{ErrInvalidConfig, saml.ErrInvalidLimits}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.cfg.Validate()
			c, nerr := NewSOAPClient(tc.cfg)
			if tc.want == nil {
				require.NoError(t, err)
				require.NoError(t, nerr)
				require.NotNil(t, c)
				return
			}
			for _, w := range tc.want {
				require.ErrorIs(t, err, w)
				require.ErrorIs(t, nerr, w)
			}
			require.Nil(t, c)
		})
	}
	// Validate reports every problem, not just the first.
	err := SOAPClientConfig{Timeout: -1, MaxRetries: -1}.Validate()
	require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2)
}

// TestNewSOAPClientKeepsCallerClient: New never changes the caller's
// struct or http.Client.
func TestNewSOAPClientKeepsCallerClient(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: time.Minute}
	cfg := SOAPClientConfig{HTTPClient: hc}
	before := cfg
	_, err := NewSOAPClient(cfg)
	require.NoError(t, err)
	require.Equal(t, before, cfg)
	require.Nil(t, hc.CheckRedirect)
}
