package sp

import (
	"crypto/x509"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/stretchr/testify/require"
)

// TestACSFlow: login through the handlers, session cookie, return path,
// request state consumed once (N24).
func TestACSFlow(t *testing.T) {
	e := newEnv(t)
	relay, id, cs := e.startLogin(LoginOptions{Level: loa.Notified(loa.Substantial), ReturnPath: "/profile?tab=1"})
	require.Len(t, relay, handleLen)
	req := cookieNamed(cs, e.sp.reqCookieName(relay))
	require.NotNil(t, req)
	require.True(t, req.Secure)
	require.True(t, req.HttpOnly)
	require.Equal(t, http.SameSiteNoneMode, req.SameSite, "the ACS receives a cross-site POST")

	data := e.response(id, both)
	w := e.postACS(data, relay, cs)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	require.Equal(t, "/profile?tab=1", w.Header().Get("Location"))
	sess := cookieNamed(w.Result().Cookies(), e.sp.sessionCookieName())
	require.NotNil(t, sess)
	require.Equal(t, http.SameSiteLaxMode, sess.SameSite)

	r := httptest.NewRequest(http.MethodGet, "/profile", nil)
	r.AddCookie(sess)
	ident, err := e.sp.Identity(r)
	require.NoError(t, err)
	require.Equal(t, "12345678903", ident.First(AttrOIB))
	require.Equal(t, loa.Notified(loa.Substantial), ident.LoA)

	// The request cookie was cleared: posting again (even a fresh response
	// to the same request) finds no outstanding request.
	cleared := false
	for _, c := range w.Result().Cookies() {
		if c.Name == req.Name && c.MaxAge < 0 {
			cleared = true
		}
	}
	require.True(t, cleared)
	w = e.postACS(e.response(id, both), relay, nil)
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Nil(t, cookieNamed(w.Result().Cookies(), e.sp.sessionCookieName()))
}

// TestACSRefusals: hostile posts to the ACS give an error page, no session
// cookie and no redirect (landscape.md attack classes).
func TestACSRefusals(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		post func() *httptest.ResponseRecorder
	}{
		{"response bound to another browser", func() *httptest.ResponseRecorder {
			relay, id, _ := e.startLogin(LoginOptions{})
			_, _, other := e.startLogin(LoginOptions{})
			return e.postACS(e.response(id, both), relay, other)
		}},
		{"attacker RelayState", func() *httptest.ResponseRecorder {
			_, id, cs := e.startLogin(LoginOptions{})
			return e.postACS(e.response(id, both), "https://evil.example/", cs)
		}},
		{"unsolicited", func() *httptest.ResponseRecorder {
			return e.postACS(e.response("", both), "", nil)
		}},
		{"unsigned", func() *httptest.ResponseRecorder {
			relay, id, cs := e.startLogin(LoginOptions{})
			return e.postACS(e.response(id, respOpts{}), relay, cs)
		}},
		{"garbage", func() *httptest.ResponseRecorder { return e.postACS([]byte("<x"), "", nil) }},
		{"oversize body", func() *httptest.ResponseRecorder {
			return e.postACS([]byte(strings.Repeat("A", 3<<20)), "", nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.post()
			require.GreaterOrEqual(t, w.Code, 400, w.Body.String())
			require.Empty(t, w.Header().Get("Location"))
			require.Nil(t, cookieNamed(w.Result().Cookies(), e.sp.sessionCookieName()))
			require.Contains(t, w.Body.String(), "<!DOCTYPE html>")
			require.NotContains(t, w.Body.String(), "sp: ", "no internal detail on the page")
		})
	}
}

// TestReturnPathNeverOpenRedirect: whatever the return path asked for, the
// ACS redirects only to a local path.
func TestReturnPathNeverOpenRedirect(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
		"/%0d%0aSet-Cookie:x=y", "evil", "", "/ok\x00"} {
		t.Run(p, func(t *testing.T) {
			relay, id, cs := e.startLogin(LoginOptions{ReturnPath: p})
			w := e.postACS(e.response(id, both), relay, cs)
			require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
			loc := w.Header().Get("Location")
			if p == "/%0d%0aSet-Cookie:x=y" {
				require.Equal(t, p, loc, "percent-encoded stays encoded: a local path")
				return
			}
			require.Equal(t, "/", loc)
		})
	}
}

func TestIsLocalPath(t *testing.T) {
	for p, want := range map[string]bool{
		"/": true, "/a/b?c=d#e": true, "/%2F%2Fevil": true,
		"": false, "//evil": false, "/\\evil": false, "https://evil": false, "javascript:x": false,
		"\\\\evil": false, "/a\nb": false, "evil": false, " /x": false,
	} {
		require.Equal(t, want, isLocalPath(p), p)
	}
}

func TestOutstandingCap(t *testing.T) {
	e := newEnv(t)
	var jar []*http.Cookie
	var relays []string
	for i := 0; i < DefaultMaxOutstanding+2; i++ {
		relay, _, cs := e.startLogin(LoginOptions{}, jar...)
		relays = append(relays, relay)
		jar = applyCookies(jar, cs)
	}
	require.Len(t, jar, DefaultMaxOutstanding)
	require.Nil(t, cookieNamed(jar, e.sp.reqCookieName(relays[0])), "oldest dropped")
	require.NotNil(t, cookieNamed(jar, e.sp.reqCookieName(relays[len(relays)-1])))
}

// applyCookies updates a simple cookie jar with a response's Set-Cookies.
func applyCookies(jar, set []*http.Cookie) []*http.Cookie {
	for _, c := range set {
		out := jar[:0]
		for _, j := range jar {
			if j.Name != c.Name {
				out = append(out, j)
			}
		}
		jar = out
		if c.MaxAge >= 0 {
			jar = append(jar, c)
		}
	}
	return jar
}

func TestLoginEndpointAndPOSTBinding(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.RequestBinding = saml.BindingHTTPPOST
		c.NIASCondition = true
		c.NameIDFormat = saml.NameIDFormatPersistent
	})
	w := httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, testBaseURL+"/login?return=/x", nil))
	require.Equal(t, http.StatusOK, w.Code)
	body := w.Body.String()
	require.Contains(t, body, `action="`+testIdPSSO+`"`)
	require.Contains(t, body, `name="SAMLRequest"`)
	require.NotNil(t, cookieNamed(w.Result().Cookies(), e.sp.reqCookieName(formValue(t, body, "RelayState"))))
}

func formValue(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`" value="`)
	require.GreaterOrEqual(t, i, 0)
	rest := body[i+len(`name="`+name+`" value="`):]
	return html.UnescapeString(rest[:strings.IndexByte(rest, '"')])
}

func TestMetadataHandler(t *testing.T) {
	e := newEnv(t)
	w := httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, testBaseURL+"/metadata", nil))
	require.Equal(t, http.StatusOK, w.Code)
	md, err := metadata.Parse(w.Body.Bytes(), metadata.ParseOptions{
		Verifier: &dsig.Verifier{Certificates: []*x509.Certificate{e.spKP.Certificate}}, Now: e.cfg.Now})
	require.NoError(t, err, "metadata signed with the SP key")
	require.Equal(t, testSPEntity, md.EntityID)
	require.True(t, md.SP.AuthnRequestsSigned)
	require.True(t, md.SP.WantAssertionsSigned)
	acs, err := md.SP.DefaultACS()
	require.NoError(t, err)
	require.Equal(t, testACS, acs.Location)
	for _, b := range []string{saml.BindingHTTPRedirect, saml.BindingHTTPPOST, saml.BindingSOAP} {
		_, err := md.SP.SLOEndpoint(b)
		require.NoError(t, err, b)
	}
	require.Equal(t, []*x509.Certificate{e.encKP.Certificate}, md.SP.EncryptionCertificates())
	require.Equal(t, []*x509.Certificate{e.spKP.Certificate}, md.SP.SigningCertificates())
}

// TestUnsolicitedWithIdPRelayState: with AllowUnsolicited, an IdP-initiated
// response's RelayState is ignored (never a redirect target).
func TestUnsolicitedWithIdPRelayState(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AllowUnsolicited = true })
	w := e.postACS(e.response("", both), "https://evil.example/", nil)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	require.Equal(t, "/", w.Header().Get("Location"))
	// A solicited response still needs its browser.
	_, id, _ := e.startLogin(LoginOptions{})
	w = e.postACS(e.response(id, both), "", nil)
	require.Equal(t, http.StatusBadRequest, w.Code)
}

// TestSuspendedIdPPage: while the IdP is suspended (N25) logins are refused
// with the operator's notice.
func TestSuspendedIdPPage(t *testing.T) {
	e := newEnv(t)
	e.src.mu.Lock()
	e.src.p.Suspended, e.src.p.SuspendedNotice = true, "Maintenance until 12:00 <b>"
	e.src.mu.Unlock()
	w := httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, testBaseURL+"/login", nil))
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.Contains(t, w.Body.String(), "Maintenance until 12:00 &lt;b&gt;")
	require.Empty(t, w.Header().Get("Location"))
	require.Empty(t, w.Result().Cookies())
}
