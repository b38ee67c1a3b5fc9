package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/eidkit/eidkit/examples/issuer/issuerapp"
	"github.com/stretchr/testify/require"
)

// TestRefusals: what must not yield a session or a redirect elsewhere, and
// the cases next to them that must, on one pair of running examples.
func TestRefusals(t *testing.T) {
	d := startDemo(t)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *demo)
	}{
		{"wrong password", refuseWrongPassword},
		{"ana cannot reach high", refuseAnaCannotReachHigh},
		{"ana at substantial", refuseAnaAtSubstantial},
		{"issuer-initiated logout", refuseIssuerInitiatedLogout},
		{"no open redirect", refuseNoOpenRedirect},
		{"cancel", refuseCancel},
		{"forged form token", refuseForgedFormToken},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, d) })
	}
}

// refuseWrongPassword: a wrong password gives no session; the fifth
// failure of a sign-in ends it with AuthnFailed.
func refuseWrongPassword(t *testing.T, d *demo) {
	b := newBrowser(t)
	p := b.get(d.eservice + "/substantial")
	for i := range 4 {
		p = b.submit(p, "token", url.Values{"username": {issuerapp.DemoUserAna}, "password": {fmt.Sprint("wrong", i)}})
		require.True(t, d.isLoginForm(p, "password"), p.Body)
		require.Contains(t, p.Body, `role="alert"`)
		require.Contains(t, p.Body, "Wrong username or password.")
	}
	r := b.get(d.eservice + "/profile")
	require.True(t, d.isLoginForm(r, "password"), "no session after wrong passwords")
	// The fifth failure ends the sign-in: the e-service is told
	// AuthnFailed and shows its error page.
	p = b.submit(r, "token", url.Values{"username": {"nobody"}, "password": {"x"}})
	for i := range 4 {
		p = b.submit(p, "token", url.Values{"username": {"nobody"}, "password": {fmt.Sprint("x", i)}})
	}
	resp := findForm(t, p, "SAMLResponse")
	p = b.post(resp.action, resp.fields)
	require.Equal(t, http.StatusUnauthorized, p.Status, p.Body)
	require.Contains(t, p.Body, "did not sign you in")
	r = b.get(d.eservice + "/profile")
	require.True(t, d.isLoginForm(r, "password"))
}

// refuseAnaCannotReachHigh: a user without a second factor is refused
// where LoA high is needed (NoAuthnContext) and gets no session.
func refuseAnaCannotReachHigh(t *testing.T, d *demo) {
	b := newBrowser(t)
	p := b.get(d.eservice + "/high")
	p, _ = d.signIn(t, b, p, issuerapp.DemoUserAna, issuerapp.DemoPasswordAna, false)
	require.Equal(t, http.StatusUnauthorized, p.Status, p.Body)
	r := b.get(d.eservice + "/")
	require.NotContains(t, r.Body, "Signed in as")
}

// refuseAnaAtSubstantial: the same user is admitted at substantial, and
// every value of a multi-valued attribute arrives.
func refuseAnaAtSubstantial(t *testing.T, d *demo) {
	b := newBrowser(t)
	p := b.get(d.eservice + "/profile")
	p, _ = d.signIn(t, b, p, issuerapp.DemoUserAna, issuerapp.DemoPasswordAna, false)
	require.Equal(t, d.eservice+"/profile", p.URL.String(), p.Body)
	require.Contains(t, p.Body, "<li>Ana</li>")
	require.Contains(t, p.Body, "<li>Marija</li>", "every value of a multi-valued attribute")
}

func refuseIssuerInitiatedLogout(t *testing.T, d *demo) {
	b := newBrowser(t)
	p := b.get(d.eservice + "/profile")
	p, _ = d.signIn(t, b, p, issuerapp.DemoUserAna, issuerapp.DemoPasswordAna, false)
	require.Equal(t, d.eservice+"/profile", p.URL.String(), p.Body)
	p = b.post(d.issuer+"/saml/logout", nil)
	p = d.followSAMLForms(b, p)
	require.Equal(t, http.StatusOK, p.Status, p.Body)
	require.True(t, strings.HasPrefix(p.URL.String(), d.issuer+"/"), "the chain ends at the issuer: %s", p.URL)
	r := b.get(d.eservice + "/")
	require.NotContains(t, r.Body, "Signed in as")
	r = b.get(d.eservice + "/profile")
	require.True(t, d.isLoginForm(r, "password"), "both sessions ended: %s", r.URL)
}

func refuseNoOpenRedirect(t *testing.T, d *demo) {
	for _, ret := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
		b := newBrowser(t)
		p := b.get(d.eservice + "/saml/login?return=" + url.QueryEscape(ret))
		p, _ = d.signIn(t, b, p, issuerapp.DemoUserAna, issuerapp.DemoPasswordAna, false)
		require.Equal(t, d.eservice+"/", p.URL.String(), ret)
		require.Contains(t, p.Body, "Signed in as Ana Anić")
	}
}

// refuseCancel: a cancelled sign-in (RequestDenied) gives no session.
func refuseCancel(t *testing.T, d *demo) {
	b := newBrowser(t)
	p := b.get(d.eservice + "/substantial")
	require.True(t, d.isLoginForm(p, "password"))
	p = b.submit(p, "token", url.Values{"cancel": {"1"}})
	resp := findForm(t, p, "SAMLResponse")
	p = b.post(resp.action, resp.fields)
	require.Equal(t, http.StatusUnauthorized, p.Status)
	r := b.get(d.eservice + "/")
	require.NotContains(t, r.Body, "Signed in as")
}

// refuseForgedFormToken: a form posted without its token (login CSRF) is
// not processed.
func refuseForgedFormToken(t *testing.T, d *demo) {
	b := newBrowser(t)
	p := b.get(d.eservice + "/substantial")
	p = b.submit(p, "token", url.Values{"token": {"forged"}, "username": {issuerapp.DemoUserAna}, "password": {issuerapp.DemoPasswordAna}})
	require.True(t, d.isLoginForm(p, "password"), "a form without its token is not processed")
	require.Contains(t, p.Body, "The form has expired.")
}
