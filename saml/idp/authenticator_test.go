package idp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
)

// TestAuthenticatorOutcomes: success, failure, cancel (N18) and a login
// step without a pending request.
func TestAuthenticatorOutcomes(t *testing.T) {
	tests := []struct {
		user, status string
	}{
		{"ana", ""},
		{"mallory", saml.StatusAuthnFailed},
		{"cancel", saml.StatusRequestDenied},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			e := newEnv(t)
			j := jar{}
			resp, posted := e.login(j, e.authnRequest(nil), tt.user, "")
			require.Equal(t, testACS, posted.Action)
			require.Equal(t, testRelay, posted.RelayState)
			if tt.status == "" {
				require.Equal(t, saml.StatusSuccess, resp.Status.Code)
				return
			}
			require.Equal(t, saml.StatusResponder, resp.Status.Code)
			require.Equal(t, tt.status, resp.Status.SubCode)
			require.Empty(t, resp.Assertions)
			require.Nil(t, j[e.idp.sessionCookie()])
		})
	}
}

// TestLoginWithoutPending: the login endpoint needs the browser's pending
// request; a stolen or stale handle gets a page, not a response.
func TestLoginWithoutPending(t *testing.T) {
	e := newEnv(t)
	for _, c := range []*http.Cookie{nil, {Name: e.idp.pendingCookie(), Value: strings.Repeat("ab", 32)}, {Name: e.idp.pendingCookie(), Value: "x"}} {
		r := httptest.NewRequest(http.MethodPost, testBase+PathLogin, strings.NewReader("user=ana"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := e.do(r, c)
		require.Equal(t, http.StatusBadRequest, w.Code)
		require.NotContains(t, w.Body.String(), "SAMLResponse")
	}
	// The pending request is consumed by the first completed login.
	j := jar{}
	e.login(j, e.authnRequest(nil), "ana", "")
	r := httptest.NewRequest(http.MethodPost, testBase+PathLogin, strings.NewReader("user=ana"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := e.do(r, j.list()...)
	require.NotContains(t, w.Body.String(), "SAMLResponse")
}

// TestRequestedLoA: NoAuthnContext when no configured level reaches the
// request (N11), when the credential achieved less, and the NIAS and STORK
// request forms (spec-digest §3.1, §4.3).
func TestRequestedLoA(t *testing.T) {
	substantialOnly := func(c *Config) { c.Levels = []loa.Level{loa.Notified(loa.Substantial)} }
	minimum := func(classRef string) func(*saml.AuthnRequest) {
		return func(ar *saml.AuthnRequest) {
			ar.RequestedAuthnContext = &saml.RequestedAuthnContext{Comparison: saml.ComparisonMinimum, ClassRefs: []string{classRef}}
		}
	}
	nias := func(n int) func(*saml.AuthnRequest) {
		return func(ar *saml.AuthnRequest) {
			c, err := loa.NewNIASCondition(n)
			require.NoError(t, err)
			conds := etree.NewElement("saml:Conditions")
			conds.AddChild(c)
			ar.Conditions = conds
		}
	}
	stork := func(q int) func(*saml.AuthnRequest) {
		return func(ar *saml.AuthnRequest) {
			el, err := loa.NewSTORKQAA(loa.STORK(q))
			require.NoError(t, err)
			ar.Extensions = []*etree.Element{el}
		}
	}
	tests := []struct {
		name   string
		mod    func(*Config)
		ar     func(*saml.AuthnRequest)
		level  string
		status string
		ref    string
	}{
		{name: "high requested, only substantial configured", mod: substantialOnly, ar: minimum(loa.EIDASHigh), status: saml.StatusNoAuthnContext},
		{name: "high requested, substantial achieved", ar: minimum(loa.EIDASHigh), level: "substantial", status: saml.StatusNoAuthnContext},
		{name: "substantial requested, high achieved (N11)", ar: minimum(loa.EIDASSubstantial), level: "high", ref: loa.EIDASHigh},
		{name: "unknown class ref", ar: minimum("urn:example:unknown"), status: saml.StatusNoAuthnContext},
		{name: "NIAS 3 met by substantial", ar: nias(3), level: "substantial", ref: loa.EIDASSubstantial},
		{name: "NIAS 4 not met by substantial", ar: nias(4), level: "substantial", status: saml.StatusNoAuthnContext},
		{name: "STORK QAA 4 met by high", ar: stork(4), level: "high", ref: loa.EIDASHigh},
		{name: "STORK QAA 4 not met by low", ar: stork(4), level: "low", status: saml.StatusNoAuthnContext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mods []func(*Config)
			if tt.mod != nil {
				mods = append(mods, tt.mod)
			}
			e := newEnv(t, mods...)
			resp, _ := e.login(jar{}, e.authnRequest(tt.ar), "ana", tt.level)
			if tt.status != "" {
				require.Equal(t, tt.status, resp.Status.SubCode)
				require.Empty(t, resp.Assertions)
				return
			}
			require.Equal(t, saml.StatusSuccess, resp.Status.Code)
			require.Equal(t, tt.ref, resp.Assertions[0].AuthnStatements[0].AuthnContextClassRef)
		})
	}
}

// TestSSOSession: a second SP reuses the session (N13) without asking the
// user; ForceAuthn and step-up (N12) ask again; IsPassive without a session
// gets NoPassive.
func TestSSOSession(t *testing.T) {
	e := newEnv(t)
	j := jar{}
	first, _ := e.login(j, e.authnRequest(nil), "ana", "substantial")
	require.Equal(t, 2, e.calls, "form and login step")

	e.calls = 0
	second, posted := e.login(j, e.authnRequest(func(ar *saml.AuthnRequest) {
		ar.Issuer.Value, ar.AssertionConsumerServiceURL = testSP2, testACS2
	}), "", "")
	require.Zero(t, e.calls, "session reused")
	require.Equal(t, testACS2, posted.Action)
	require.Equal(t, [][]string{{testSP2}}, second.Assertions[0].Conditions.AudienceRestrictions)
	require.NotEqual(t, first.Assertions[0].AuthnStatements[0].SessionIndex, second.Assertions[0].AuthnStatements[0].SessionIndex)

	// Step-up to high: the user is asked again; the session keeps both SPs.
	e.calls = 0
	up, _ := e.login(j, e.authnRequest(func(ar *saml.AuthnRequest) {
		ar.RequestedAuthnContext = &saml.RequestedAuthnContext{Comparison: saml.ComparisonMinimum, ClassRefs: []string{loa.EIDASHigh}}
	}), "ana", "high")
	require.Equal(t, 2, e.calls)
	require.Equal(t, loa.EIDASHigh, up.Assertions[0].AuthnStatements[0].AuthnContextClassRef)
	require.Equal(t, first.Assertions[0].AuthnStatements[0].SessionIndex, up.Assertions[0].AuthnStatements[0].SessionIndex)
	sess := e.session(j)
	require.Len(t, sess.Participants, 2)
	require.Equal(t, loa.Notified(loa.High), sess.LoA)

	e.calls = 0
	_, _ = e.login(j, e.authnRequest(func(ar *saml.AuthnRequest) { ar.ForceAuthn = true }), "ana", "")
	require.Equal(t, 2, e.calls, "ForceAuthn asks again")
	require.Equal(t, loa.Notified(loa.High), e.session(j).LoA, "a weaker fresh login keeps the stepped-up level")

	resp, _ := e.login(jar{}, e.authnRequest(func(ar *saml.AuthnRequest) { ar.IsPassive = true }), "", "")
	require.Equal(t, saml.StatusNoPassive, resp.Status.SubCode)
	resp, _ = e.login(j, e.authnRequest(func(ar *saml.AuthnRequest) { ar.IsPassive = true }), "", "")
	require.Equal(t, saml.StatusSuccess, resp.Status.Code, "passive with a session")
}

// TestSessionExpiry: an expired session is not reused.
func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SessionLifetime = time30m })
	j := jar{}
	e.login(j, e.authnRequest(nil), "ana", "")
	e.clock.Add(time30m)
	e.calls = 0
	w := e.do(get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", spKP.Key)), j.list()...)
	require.Contains(t, w.Body.String(), PathLogin)
	require.Equal(t, 1, e.calls)
}

func (e *env) session(j jar) *Session {
	c := j[e.idp.sessionCookie()]
	require.NotNil(e.t, c)
	s, err := e.idp.sessions.Get(e.t.Context(), c.Value, e.clock.Now())
	require.NoError(e.t, err)
	return s
}
