package e2e

import (
	"bytes"
	"context"
	"encoding/base32"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eidkit/eidkit/examples/eservice/eserviceapp"
	"github.com/eidkit/eidkit/examples/issuer/issuerapp"
	"github.com/stretchr/testify/require"
)

// demo is the two examples running in-process.
type demo struct {
	issuer, eservice string // origins, http://127.0.0.1:port
	issuerDir        string
}

// syncBuffer collects both examples' console output for failure reports.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// trustMode says how the examples trust each other's metadata.
type trustMode int

const (
	// trustCertFiles: each verifies the other's metadata signature with
	// the certificate file in the other's data directory (the default).
	trustCertFiles trustMode = iota
	// trustUnsigned: no certificate files, the explicit development
	// fallback -allow-unsigned-metadata.
	trustUnsigned
)

// startDemo starts both examples on ephemeral loopback ports with fresh
// data directories, each trusting the other's certificate file (no
// development fallback), and waits until each trusts the other. Cleanup
// cancels them and waits for both to return.
func startDemo(t testing.TB) *demo {
	t.Helper()
	return startDemoWith(t, trustCertFiles)
}

func startDemoWith(t testing.TB, mode trustMode) *demo {
	t.Helper()
	issuerLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	spLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	d := &demo{issuer: "http://" + issuerLn.Addr().String(), eservice: "http://" + spLn.Addr().String(), issuerDir: t.TempDir()}
	spDir := t.TempDir()
	spCert, idpCert := filepath.Join(spDir, eserviceapp.KeyName+".crt"), filepath.Join(d.issuerDir, issuerapp.KeyName+".crt")
	if mode == trustUnsigned {
		spCert, idpCert = "", ""
	}
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	go func() {
		errs <- issuerapp.Serve(ctx, issuerapp.Config{
			Listener: issuerLn, DataDir: d.issuerDir, Stdout: out, RetryInterval: 50 * time.Millisecond,
			SPMetadataURL: d.eservice + "/saml/metadata", SPCertFile: spCert,
			AllowUnsignedMetadata: mode == trustUnsigned,
		})
	}()
	go func() {
		errs <- eserviceapp.Serve(ctx, eserviceapp.Config{
			Listener: spLn, DataDir: spDir, Stdout: out, RetryInterval: 50 * time.Millisecond,
			IdPMetadataURL: d.issuer + "/saml/metadata", IdPCertFile: idpCert,
			AllowUnsignedMetadata: mode == trustUnsigned,
		})
	}()
	t.Cleanup(func() {
		cancel()
		for range 2 {
			require.NoError(t, <-errs)
		}
		if t.Failed() || os.Getenv("E2E_LOG") != "" {
			t.Logf("console of both examples:\n%s", out.String())
		}
	})
	waitReady(t, d.issuer+"/readyz", d.eservice+"/readyz")
	return d
}

func waitReady(t testing.TB, urls ...string) {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second}
	defer c.CloseIdleConnections()
	deadline := time.Now().Add(60 * time.Second) // a bound on waiting, not a timing assertion
	for _, u := range urls {
		for {
			resp, err := c.Get(u)
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			require.True(t, time.Now().Before(deadline), "%s not ready: %v", u, err)
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// totpCode computes ivan's current code from the secret the issuer wrote
// into its data directory, as his authenticator app would.
func (d *demo) totpCode(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(d.issuerDir, issuerapp.TOTPFile))
	require.NoError(t, err)
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	code, err := issuerapp.Code(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key), time.Now())
	require.NoError(t, err)
	return code
}

// isLoginForm reports whether p is the issuer's form at the given step.
func (d *demo) isLoginForm(p *page, step string) bool {
	return strings.HasPrefix(p.URL.String(), d.issuer+"/saml/") && p.Status == http.StatusOK &&
		strings.Contains(p.Body, `name="step" value="`+step+`"`)
}

// signIn answers the issuer's forms starting at p (the password form) and
// posts the response to the e-service; it returns the page the e-service
// shows afterwards and the SAMLResponse form as captured.
func (d *demo) signIn(t testing.TB, b *browser, p *page, user, password string, code bool) (*page, url.Values) {
	t.Helper()
	require.True(t, d.isLoginForm(p, "password"), "want the password form, got %s %d:\n%s", p.URL, p.Status, p.Body)
	p = b.submit(p, "token", url.Values{"username": {user}, "password": {password}})
	if code {
		require.True(t, d.isLoginForm(p, "code"), "want the code form, got %s:\n%s", p.URL, p.Body)
		p = b.submit(p, "token", url.Values{"code": {d.totpCode(t)}})
	}
	resp := findForm(t, p, "SAMLResponse")
	require.Equal(t, d.eservice+"/saml/acs", resp.action, "the response goes to the ACS from metadata")
	return b.post(resp.action, resp.fields), resp.fields
}

// followSAMLForms submits HTTP-POST binding forms (logout messages) until
// a page without one arrives; redirects are followed by the client.
func (d *demo) followSAMLForms(b *browser, p *page) *page {
	for range 10 {
		switch {
		case hasForm(p, "SAMLRequest"):
			p = b.submit(p, "SAMLRequest", nil)
		case hasForm(p, "SAMLResponse"):
			p = b.submit(p, "SAMLResponse", nil)
		default:
			return p
		}
	}
	b.t.Fatalf("more than 10 SAML forms in a row, last at %s", p.URL)
	return nil
}

var (
	sessionIndexRE = regexp.MustCompile(`<dt>SessionIndex</dt><dd>([^<]+)</dd>`)
	nameIDRE       = regexp.MustCompile(`<dt>NameID</dt><dd>([^<]+)</dd>`)
)

// TestEndToEnd drives login at substantial, the profile, a replay, step-up
// to high, single logout and a new login over real HTTP (issue 3 Proof).
func TestEndToEnd(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Run("flow", func(t *testing.T) {
		d := startDemo(t)
		b := newBrowser(t)
		p := b.get(d.eservice + "/")
		require.Equal(t, http.StatusOK, p.Status)
		require.Contains(t, p.Body, "Public services")
		require.NotContains(t, p.Body, "Signed in as")

		captured := d.loginSubstantial(t, b)
		d.checkProfile(t, b)
		d.checkReplay(t, b, captured)
		d.stepUp(t, b)
		d.logout(t, b)
	})
	requireNoLeaks(t, before)
}

// loginSubstantial: a page at substantial sends the user to the issuer
// (N11); the password suffices and the page is served.
func (d *demo) loginSubstantial(t *testing.T, b *browser) url.Values {
	p := b.get(d.eservice + "/substantial")
	p, captured := d.signIn(t, b, p, issuerapp.DemoUserIvan, issuerapp.DemoPasswordIvan, false)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	require.Equal(t, d.eservice+"/substantial", p.URL.String())
	require.Contains(t, p.Body, "Welcome, Ivan Horvat. This page needs LoA substantial; you signed in at substantial.")
	return captured
}

// checkProfile: the profile shows what arrived, NIAS names and eIDAS URIs.
func (d *demo) checkProfile(t *testing.T, b *browser) {
	p := b.get(d.eservice + "/profile")
	require.Equal(t, http.StatusOK, p.Status)
	for _, want := range []string{
		"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
		"http://eidas.europa.eu/LoA/substantial",
		"<dt>Issuer</dt><dd>" + d.issuer + "/saml/metadata</dd>",
		`<th scope="row">oib</th>`, "12345678903",
		`<th scope="row">ime</th>`, "<li>Ivan</li>",
		`<th scope="row">prezime</th>`, "<li>Horvat</li>",
		`<th scope="row">dat_rod</th>`, "<li>1979-11-02</li>",
		"http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier", "<li>HR/HR/12345678903</li>",
	} {
		require.Contains(t, p.Body, want)
	}
	require.Regexp(t, sessionIndexRE, p.Body)
	// The persistent NameID is pairwise (derived per e-service), not the OIB.
	m := nameIDRE.FindStringSubmatch(p.Body)
	require.NotNil(t, m, p.Body)
	require.NotEqual(t, "12345678903", m[1])
}

// checkReplay: a captured response is accepted once. Replayed in another
// browser (no request state) or in this one (state consumed) it is
// refused, with no redirect and no session.
func (d *demo) checkReplay(t *testing.T, b *browser, captured url.Values) {
	attacker := newBrowser(t)
	r := attacker.post(d.eservice+"/saml/acs", captured)
	require.Equal(t, http.StatusBadRequest, r.Status, r.Body)
	require.Equal(t, d.eservice+"/saml/acs", r.URL.String(), "no redirect anywhere")
	r = attacker.get(d.eservice + "/profile")
	require.True(t, d.isLoginForm(r, "password"), "the attacker has no session: %s", r.URL)
	r = b.post(d.eservice+"/saml/acs", captured)
	require.Equal(t, http.StatusBadRequest, r.Status)
}

// stepUp: the high page sends the substantial session back to the issuer,
// which asks for the second factor (N12); the high session is then
// admitted where substantial is asked (N11).
func (d *demo) stepUp(t *testing.T, b *browser) {
	p := b.get(d.eservice + "/high")
	p, _ = d.signIn(t, b, p, issuerapp.DemoUserIvan, issuerapp.DemoPasswordIvan, true)
	require.Equal(t, d.eservice+"/high", p.URL.String(), p.Body)
	require.Contains(t, p.Body, "This page needs LoA high; you signed in at high.")
	p = b.get(d.eservice + "/substantial")
	require.Equal(t, d.eservice+"/substantial", p.URL.String())
	require.Contains(t, p.Body, "you signed in at high")
}

// logout: single logout started at the e-service ends both sessions (N14).
func (d *demo) logout(t *testing.T, b *browser) {
	p := d.followSAMLForms(b, b.post(d.eservice+"/saml/logout", nil))
	require.Equal(t, d.eservice+"/", p.URL.String(), p.Body)
	require.NotContains(t, p.Body, "Signed in as")
	p = b.get(d.eservice + "/substantial")
	require.True(t, d.isLoginForm(p, "password"), "after logout the issuer asks again: %s\n%s", p.URL, p.Body)
}

// TestUnsignedMetadataFallback: without certificate files, the explicit
// development option still lets the two examples work together.
func TestUnsignedMetadataFallback(t *testing.T) {
	d := startDemoWith(t, trustUnsigned)
	b := newBrowser(t)
	p := b.get(d.eservice + "/profile")
	p, _ = d.signIn(t, b, p, issuerapp.DemoUserAna, issuerapp.DemoPasswordAna, false)
	require.Equal(t, d.eservice+"/profile", p.URL.String(), p.Body)
}

// requireNoLeaks waits for the goroutines the examples started to end:
// servers, metadata refreshers and their connections.
func requireNoLeaks(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		require.LessOrEqual(t, n, before, "goroutines left running:\n%s", buf[:runtime.Stack(buf, true)])
	}
}

// BenchmarkLogin measures a whole sign-in through both examples over
// loopback HTTP: the redirect to the issuer, the password form (argon2id
// at account/password's default cost), the signed response posted to the
// ACS with every check, and the protected page.
func BenchmarkLogin(b *testing.B) {
	d := startDemo(b)
	for b.Loop() {
		br := newBrowser(b)
		p := br.get(d.eservice + "/substantial")
		p, _ = d.signIn(b, br, p, issuerapp.DemoUserAna, issuerapp.DemoPasswordAna, false)
		if p.URL.String() != d.eservice+"/substantial" {
			b.Fatalf("login ended at %s", p.URL)
		}
		br.c.CloseIdleConnections()
	}
}
