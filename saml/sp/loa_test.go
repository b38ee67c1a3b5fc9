package sp

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/stretchr/testify/require"
)

// TestRequireLoA covers N11 (minimum level per route, higher admitted) and
// N12 (step-up from a lower session).
func TestRequireLoA(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.ForceAuthnOnStepUp = true })
	served := 0
	h := e.sp.RequireLoA(loa.Notified(loa.Substantial))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served++
		require.NotNil(t, IdentityFromContext(r.Context()))
	}))
	get := func(c *http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "https://eservice.example.hr/secure?x=1", nil)
		if c != nil {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	authnRequest := func(w *httptest.ResponseRecorder) *saml.AuthnRequest {
		require.Equal(t, http.StatusFound, w.Code)
		loc, err := url.Parse(w.Header().Get("Location"))
		require.NoError(t, err)
		msg, err := binding.DecodeRedirectQuery(loc.RawQuery, binding.Limits{})
		require.NoError(t, err)
		req, err := saml.ParseAuthnRequestBytes(msg.XML, saml.Limits{})
		require.NoError(t, err)
		return req
	}

	// No session: login at substantial.
	req := authnRequest(get(nil))
	require.Equal(t, []string{loa.EIDASSubstantial}, req.RequestedAuthnContext.ClassRefs)
	require.Equal(t, saml.ComparisonMinimum, req.RequestedAuthnContext.Comparison)
	require.False(t, req.ForceAuthn)
	require.Equal(t, 0, served)

	// A low session: step-up with ForceAuthn.
	low := e.loginAt(loa.EIDASLow)
	req = authnRequest(get(low))
	require.Equal(t, []string{loa.EIDASSubstantial}, req.RequestedAuthnContext.ClassRefs)
	require.True(t, req.ForceAuthn)
	require.Equal(t, 0, served)

	// A high session is admitted (N11).
	high := e.loginAt(loa.EIDASHigh)
	w := get(high)
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, 1, served)

	// Idle past the timeout: login again.
	e.now = e.now.Add(DefaultSessionIdleTimeout + time.Second)
	authnRequest(get(high))
	require.Equal(t, 1, served)
}

// loginAt logs in with a response at the given ClassRef.
func (e *testEnv) loginAt(classRef string) *http.Cookie {
	e.t.Helper()
	relay, id, cs := e.startLogin(LoginOptions{Level: loa.Notified(loa.Low)})
	w := e.postACS(e.response(id, respOpts{signResponse: true, signAssertion: true, assertion: func(a *saml.Assertion) {
		a.AuthnStatements[0].AuthnContextClassRef = classRef
	}}), relay, cs)
	require.Equal(e.t, http.StatusSeeOther, w.Code, w.Body.String())
	c := cookieNamed(w.Result().Cookies(), e.sp.sessionCookieName())
	require.NotNil(e.t, c)
	return c
}

func TestSessionLimits(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SessionMaxAge = time.Hour; c.SessionIdleTimeout = 20 * time.Minute })
	c := e.login(loa.Notified(loa.Low))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(c)
	_, err := e.sp.Identity(r)
	require.NoError(t, err)
	e.now = e.now.Add(21 * time.Minute)
	_, err = e.sp.Identity(r)
	require.ErrorIs(t, err, ErrSessionExpired)

	_, err = e.sp.Identity(httptest.NewRequest(http.MethodGet, "/", nil))
	require.ErrorIs(t, err, ErrNoSession)

	forged := httptest.NewRequest(http.MethodGet, "/", nil)
	forged.AddCookie(&http.Cookie{Name: e.sp.sessionCookieName(), Value: "AAAA" + c.Value[4:]})
	_, err = e.sp.Identity(forged)
	require.ErrorIs(t, err, ErrNoSession)
}
