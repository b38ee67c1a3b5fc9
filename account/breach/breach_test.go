package breach_test

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account/breach"
	"github.com/eidkit/eidkit/account/policy"
)

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// rangeServer imitates the range API and records what it was sent.
func rangeServer(t *testing.T, corpus map[string]int, status *atomic.Int32) (*httptest.Server, *[]*http.Request) {
	var seen []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Clone(r.Context()))
		if s := status.Load(); s != 0 {
			w.WriteHeader(int(s))
			return
		}
		prefix, ok := strings.CutPrefix(r.URL.Path, "/range/")
		require.True(t, ok)
		for pw, n := range corpus {
			if h := sha1Hex(pw); h[:5] == prefix {
				fmt.Fprintf(w, "%s:%d\r\n", h[5:], n)
			}
		}
		if r.Header.Get("Add-Padding") == "true" {
			for i := range 3 {
				fmt.Fprintf(w, "%035X:0\r\n", i)
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestCount(t *testing.T) {
	var status atomic.Int32
	srv, seen := rangeServer(t, map[string]int{"P@ssw0rd": 52000, "kytara pod mostem": 0}, &status)
	c, err := breach.New(breach.Config{BaseURL: srv.URL, AllowInsecureHTTP: true, Retries: -1})
	require.NoError(t, err)

	n, err := c.Count(t.Context(), "P@ssw0rd")
	require.NoError(t, err)
	require.Equal(t, 52000, n)
	n, err = c.Count(t.Context(), "Tq7#vLp2!mXz")
	require.NoError(t, err)
	require.Zero(t, n)

	full := sha1Hex("P@ssw0rd")
	r := (*seen)[0]
	require.Equal(t, "/range/"+full[:5], r.URL.Path, "only the 5-character prefix is sent")
	require.Empty(t, r.URL.RawQuery)
	require.Equal(t, "true", r.Header.Get("Add-Padding"))
	for k, v := range r.Header {
		require.NotContains(t, strings.Join(v, ","), full[5:], k)
	}
}

func TestCountFailures(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusServiceUnavailable)
	srv, seen := rangeServer(t, nil, &status)
	c, err := breach.New(breach.Config{BaseURL: srv.URL, AllowInsecureHTTP: true, Retries: 1})
	require.NoError(t, err)
	_, err = c.Count(t.Context(), "x")
	require.Error(t, err)
	require.Len(t, *seen, 2, "one retry")

	status.Store(http.StatusNotFound)
	_, err = c.Count(t.Context(), "x")
	require.ErrorIs(t, err, breach.ErrStatus)

	// Through the policy checker the failure fails closed.
	chk, err := policy.New(policy.Config{Breach: c})
	require.NoError(t, err)
	_, err = chk.Check(t.Context(), policy.Request{Profile: policy.ProfileNIST, Class: policy.ClassUser, Password: "kytara pod mostem"})
	require.ErrorIs(t, err, policy.ErrBreachCheckFailed)
}

func TestParseRange(t *testing.T) {
	suffix := strings.Repeat("A", 35)
	tests := []struct {
		name string
		body string
		max  int64
		want int
		err  error
	}{
		{"hit", suffix + ":7\r\n" + strings.Repeat("B", 35) + ":0\r\n", 1 << 20, 7, nil},
		{"case-insensitive", strings.ToLower(suffix) + ":3\n", 1 << 20, 3, nil},
		{"miss", strings.Repeat("B", 35) + ":9\n", 1 << 20, 0, nil},
		{"short suffix", "ABC:1\n", 1 << 20, 0, breach.ErrMalformedResponse},
		{"no count", suffix + "\n", 1 << 20, 0, breach.ErrMalformedResponse},
		{"negative", suffix + ":-1\n", 1 << 20, 0, breach.ErrMalformedResponse},
		{"html error page", "<html>", 1 << 20, 0, breach.ErrMalformedResponse},
		{"too large", suffix + ":1\n" + suffix + ":1\n", 40, 0, breach.ErrResponseTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := breach.ParseRange(strings.NewReader(tc.body), suffix, tc.max)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, n)
		})
	}
}

func TestConfigValidate(t *testing.T) {
	require.ErrorIs(t, breach.Config{BaseURL: "http://mirror.local"}.Validate(), breach.ErrInvalidConfig)
	require.NoError(t, breach.Config{BaseURL: "http://mirror.local", AllowInsecureHTTP: true}.Validate())
	err := breach.Config{BaseURL: "ftp://x", Timeout: -1}.Validate()
	require.ErrorContains(t, err, "scheme")
	require.ErrorContains(t, err, "negative")
	require.NoError(t, breach.Config{}.Validate(), "zero value: https default")
}

func FuzzParseRange(f *testing.F) {
	f.Add(strings.Repeat("A", 35)+":7\r\n", strings.Repeat("A", 35))
	f.Add("ABC:1\n", "ABC")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, body, suffix string) {
		n, err := breach.ParseRange(strings.NewReader(body), suffix, 4096)
		if err == nil && n < 0 {
			t.Fatalf("negative count %d", n)
		}
	})
}
