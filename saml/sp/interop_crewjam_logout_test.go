package sp

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	crewjam "github.com/crewjam/saml"
	"github.com/eidkit/eidkit/loa"
	xdsig "github.com/russellhaering/goxmldsig"
	"github.com/stretchr/testify/require"
)

// crewjamAuthority plays the session authority with crewjam/saml v0.5.1's
// logout code: a ServiceProvider value configured with the IdP's entityID
// and key, whose "IdP" is our SP. crewjam has no IdP-side logout, so this
// is the closest peer for our SP's IdP-initiated logout.
func crewjamAuthority(e *testEnv) *crewjam.ServiceProvider {
	certB64 := base64.StdEncoding.EncodeToString(e.spKP.Certificate.Raw)
	slo, _ := url.Parse(testIdPSLO)
	return &crewjam.ServiceProvider{EntityID: testIdPEntity, Key: e.idpKP.Key, Certificate: e.idpKP.Certificate,
		SignatureMethod: xdsig.RSASHA256SignatureMethod, SloURL: *slo,
		IDPMetadata: &crewjam.EntityDescriptor{EntityID: testSPEntity, IDPSSODescriptors: []crewjam.IDPSSODescriptor{{
			SSODescriptor: crewjam.SSODescriptor{
				RoleDescriptor: crewjam.RoleDescriptor{KeyDescriptors: []crewjam.KeyDescriptor{{Use: "signing",
					KeyInfo: crewjam.KeyInfo{X509Data: crewjam.X509Data{X509Certificates: []crewjam.X509Certificate{{Data: certB64}}}}}}},
				SingleLogoutServices: []crewjam.Endpoint{
					{Binding: crewjam.HTTPRedirectBinding, Location: testBaseURL + "/slo"},
					{Binding: crewjam.HTTPPostBinding, Location: testBaseURL + "/slo"}},
			}}}}}
}

// TestInteropCrewjamLogout: our SP ends the session on a LogoutRequest made
// by crewjam (enveloped signature, on HTTP-POST and inside an HTTP-Redirect
// message), and crewjam accepts our signed LogoutResponse on HTTP-POST.
func TestInteropCrewjamLogout(t *testing.T) {
	for _, bind := range []string{"POST", "Redirect"} {
		t.Run(bind, func(t *testing.T) {
			e := newEnv(t)
			e.resetClock(time.Now().UTC().Truncate(time.Millisecond)) // crewjam checks IssueInstant against time.Now
			oldNow := crewjam.TimeNow
			crewjam.TimeNow = func() time.Time { return e.now }
			t.Cleanup(func() { crewjam.TimeNow = oldNow })
			c := e.login(loa.Notified(loa.Low))
			cj := crewjamAuthority(e)

			var r *http.Request
			if bind == "POST" {
				page, err := cj.MakePostLogoutRequest("tid-12345", "cj-state")
				require.NoError(t, err)
				_, _, value, relay := postedForm(t, string(page))
				form := url.Values{"SAMLRequest": {value}, "RelayState": {relay}}
				r = httptest.NewRequest(http.MethodPost, testBaseURL+"/slo", strings.NewReader(form.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else {
				u, err := cj.MakeRedirectLogoutRequest("tid-12345", "cj-state")
				require.NoError(t, err)
				r = httptest.NewRequest(http.MethodGet, u.String(), nil)
			}
			r.AddCookie(c)
			w := httptest.NewRecorder()
			e.sp.Handler().ServeHTTP(w, r)
			require.ErrorIs(t, e.alive(c), ErrSessionExpired)
			if bind == "Redirect" {
				// Our answer carries the standard query signature, which
				// crewjam's ValidateLogoutResponseRedirect does not read.
				require.Equal(t, http.StatusFound, w.Code, w.Body.String())
				require.True(t, strings.HasPrefix(w.Header().Get("Location"), testIdPSLO+"?"))
				return
			}
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			action, param, value, relay := postedForm(t, w.Body.String())
			require.Equal(t, testIdPSLO, action)
			require.Equal(t, "SAMLResponse", param)
			require.Equal(t, "cj-state", relay)
			require.NoError(t, cj.ValidateLogoutResponseForm(value))
		})
	}
}
