package idp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/samltest"
)

// loggedIn signs user in at SP1 and SP2 and returns the browser's jar and
// the two assertions.
func (e *env) loggedIn(user string) (jar, *saml.Assertion, *saml.Assertion) {
	j := jar{}
	r1, _ := e.login(j, e.authnRequest(nil), user, "")
	r2, _ := e.login(j, e.authnRequest(func(ar *saml.AuthnRequest) {
		ar.Issuer.Value, ar.AssertionConsumerServiceURL = testSP2, testACS2
	}), user, "")
	require.Len(e.t, r1.Assertions, 1)
	require.Len(e.t, r2.Assertions, 1)
	return j, r1.Assertions[0], r2.Assertions[0]
}

func (e *env) logoutRequest(sp string, a *saml.Assertion, dest string) *saml.LogoutRequest {
	id, err := saml.NewID(nil)
	require.NoError(e.t, err)
	n := *a.Subject.NameID
	return &saml.LogoutRequest{ID: id, IssueInstant: e.clock.Now(), Destination: dest, Issuer: &saml.NameID{Value: sp},
		NameID: &n, SessionIndexes: []string{a.AuthnStatements[0].SessionIndex}, Reason: saml.LogoutReasonUser}
}

// redirected decodes and verifies the IdP's HTTP-Redirect message.
func redirected(t *testing.T, w *httptest.ResponseRecorder) (*url.URL, *etree.Element, string) {
	t.Helper()
	require.Equal(t, http.StatusFound, w.Code, w.Body.String())
	u, err := url.Parse(w.Header().Get("Location"))
	require.NoError(t, err)
	m, err := binding.DecodeRedirectQuery(u.RawQuery, binding.Limits{})
	require.NoError(t, err)
	_, err = m.Verify([]*x509Certificate{idpKP.Certificate}, dsig.Policy{})
	require.NoError(t, err)
	doc, err := saml.ParseXML(m.XML, saml.Limits{})
	require.NoError(t, err)
	u.RawQuery = ""
	return u, doc.Root(), m.RelayState
}

// TestLogoutFrontChannel (N14): SP1 logs out on HTTP-Redirect; the browser
// visits SP2, whose answer decides Success or PartialLogout (spec-digest
// §5.4); SP1 gets a signed LogoutResponse with its RelayState.
func TestLogoutFrontChannel(t *testing.T) {
	keys(t)
	for _, tt := range []struct {
		name    string
		answer  string // SP2's status
		key     *samltest.KeyPair
		partial bool
	}{
		{name: "all confirmed", answer: saml.StatusSuccess, key: sp2KP},
		{name: "participant failed", answer: saml.StatusResponder, key: sp2KP, partial: true},
		{name: "participant answer forged", answer: saml.StatusSuccess, key: xKP, partial: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			j, a1, a2 := e.loggedIn("ana")
			lr := e.logoutRequest(testSP, a1, testBase+PathSLO)
			w := e.do(get(redirectURL(t, testBase+PathSLO, binding.ParamRequest, lr.Element(), "rs", spKP.Key)), j.list()...)
			j.update(w)
			u, el, _ := redirected(t, w)
			require.Equal(t, testSLO2, u.String())
			toSP2, err := saml.ParseLogoutRequest(el)
			require.NoError(t, err)
			require.Equal(t, a2.Subject.NameID.Value, toSP2.NameID.Value)
			require.Equal(t, []string{a2.AuthnStatements[0].SessionIndex}, toSP2.SessionIndexes)
			require.Empty(t, j[e.idp.sessionCookie()].Value, "session cookie cleared")

			id, _ := saml.NewID(nil)
			ans := &saml.LogoutResponse{StatusResponse: saml.StatusResponse{ID: id, InResponseTo: toSP2.ID,
				IssueInstant: e.clock.Now(), Destination: testBase + PathSLO, Issuer: &saml.NameID{Value: testSP2},
				Status: &saml.Status{Code: tt.answer}}}
			w = e.do(get(redirectURL(t, testBase+PathSLO, binding.ParamResponse, ans.Element(), "", tt.key.Key)), j.list()...)
			u, el, relay := redirected(t, w)
			require.Equal(t, testSLO, u.String())
			require.Equal(t, "rs", relay)
			final, err := saml.ParseLogoutResponse(el)
			require.NoError(t, err)
			require.Equal(t, lr.ID, final.InResponseTo)
			require.Equal(t, saml.StatusSuccess, final.Status.Code)
			require.Equal(t, tt.partial, final.Partial())
			_, err = e.idp.sessions.BySessionIndex(t.Context(), a1.AuthnStatements[0].SessionIndex, e.clock.Now())
			require.ErrorIs(t, err, ErrSessionNotFound)
		})
	}
}

// soapSP starts a participant with a SOAP SLO endpoint that answers with
// status (signed by kp) and counts the requests it verified.
func soapSP(t *testing.T, status string, calls *int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		el, err := binding.ReadSOAP(r, saml.Limits{})
		require.NoError(t, err)
		_, err = (&dsig.Verifier{Certificates: []*x509Certificate{idpKP.Certificate}}).Verify(el)
		require.NoError(t, err)
		lr, err := saml.ParseLogoutRequest(el)
		require.NoError(t, err)
		*calls++
		id, _ := saml.NewID(nil)
		ans := &saml.LogoutResponse{StatusResponse: saml.StatusResponse{ID: id, InResponseTo: lr.ID,
			IssueInstant: lr.IssueInstant, Issuer: &saml.NameID{Value: testSP2}, Status: &saml.Status{Code: status}}}
		_ = binding.WriteSOAP(w, toXML(t, signed(t, ans.Element(), sp2KP)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestLogoutSOAP: SP1 logs out over the SOAP back channel; SP2 is told over
// SOAP; the answer reports PartialLogout when SP2 fails.
func TestLogoutSOAP(t *testing.T) {
	for _, tt := range []struct {
		status  string
		partial bool
	}{{saml.StatusSuccess, false}, {saml.StatusResponder, true}} {
		t.Run(tt.status, func(t *testing.T) {
			keys(t)
			calls := 0
			srv := soapSP(t, tt.status, &calls)
			e := newEnvSPs(t, []*partner.Partner{
				spPartner(t, testSP, testACS, testSLO, spKP, "", nil),
				spPartner(t, testSP2, testACS2, testSLO2, sp2KP, srv.URL, nil)})
			_, a1, _ := e.loggedIn("ana")
			lr := e.logoutRequest(testSP, a1, testBase+PathSLOSOAP)
			w := e.soap(toXML(t, signed(t, lr.Element(), spKP)))
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			el, err := binding.UnwrapSOAP(w.Body.Bytes(), saml.Limits{})
			require.NoError(t, err)
			_, err = (&dsig.Verifier{Certificates: []*x509Certificate{idpKP.Certificate}}).Verify(el)
			require.NoError(t, err)
			resp, err := saml.ParseLogoutResponse(el)
			require.NoError(t, err)
			require.Equal(t, saml.StatusSuccess, resp.Status.Code)
			require.Equal(t, tt.partial, resp.Partial())
			require.Equal(t, 1, calls)
		})
	}
}

func (e *env) soap(xml []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, testBase+PathSLOSOAP, bytes.NewReader(binding.WrapSOAP(xml)))
	r.Header.Set("Content-Type", binding.SOAPContentType)
	return e.do(r)
}

// TestLogoutForgery: unsigned, wrongly signed, replayed and mismatched
// LogoutRequests on every binding change nothing (landscape.md: logout
// forgery, SessionIndex confusion across users and partners).
func TestLogoutForgery(t *testing.T) {
	e := newEnv(t)
	jAna, ana1, ana2 := e.loggedIn("ana")
	jIvo, ivo1, _ := e.loggedIn("ivo")
	replayed := e.logoutRequest(testSP, ana1, testBase+PathSLOSOAP)
	replayed.SessionIndexes = []string{"unknown"}
	e.soap(toXML(t, signed(t, replayed.Element(), spKP)))

	frontURL := testBase + PathSLO
	tests := []struct {
		name string
		send func() *httptest.ResponseRecorder
	}{
		{"unsigned redirect", func() *httptest.ResponseRecorder {
			return e.do(get(redirectURL(t, frontURL, binding.ParamRequest, e.logoutRequest(testSP, ana1, frontURL).Element(), "", nil)), jAna.list()...)
		}},
		{"forged redirect", func() *httptest.ResponseRecorder {
			return e.do(get(redirectURL(t, frontURL, binding.ParamRequest, e.logoutRequest(testSP, ana1, frontURL).Element(), "", xKP.Key)), jAna.list()...)
		}},
		{"unsigned post", func() *httptest.ResponseRecorder {
			return e.do(postRequest(frontURL, binding.ParamRequest, toXML(t, e.logoutRequest(testSP, ana1, frontURL).Element()), ""), jAna.list()...)
		}},
		{"forged post", func() *httptest.ResponseRecorder {
			return e.do(postRequest(frontURL, binding.ParamRequest, toXML(t, signed(t, e.logoutRequest(testSP, ana1, frontURL).Element(), xKP)), ""), jAna.list()...)
		}},
		{"unsigned soap", func() *httptest.ResponseRecorder {
			return e.soap(toXML(t, e.logoutRequest(testSP, ana1, testBase+PathSLOSOAP).Element()))
		}},
		{"forged soap", func() *httptest.ResponseRecorder {
			return e.soap(toXML(t, signed(t, e.logoutRequest(testSP, ana1, testBase+PathSLOSOAP).Element(), xKP)))
		}},
		{"replayed soap", func() *httptest.ResponseRecorder { return e.soap(toXML(t, signed(t, replayed.Element(), spKP))) }},
		{"other user's SessionIndex", func() *httptest.ResponseRecorder {
			lr := e.logoutRequest(testSP, ana1, testBase+PathSLOSOAP)
			lr.SessionIndexes = []string{ivo1.AuthnStatements[0].SessionIndex}
			return e.soap(toXML(t, signed(t, lr.Element(), spKP)))
		}},
		{"other SP's SessionIndex", func() *httptest.ResponseRecorder {
			lr := e.logoutRequest(testSP2, ana1, testBase+PathSLOSOAP)
			return e.soap(toXML(t, signed(t, lr.Element(), sp2KP)))
		}},
		{"other SP's session by cookie", func() *httptest.ResponseRecorder {
			lr := e.logoutRequest(testSP, ana2, frontURL)
			return e.do(get(redirectURL(t, frontURL, binding.ParamRequest, lr.Element(), "", spKP.Key)), jAna.list()...)
		}},
		{"wrong destination", func() *httptest.ResponseRecorder {
			lr := e.logoutRequest(testSP, ana1, "https://other.example/slo")
			return e.do(get(redirectURL(t, frontURL, binding.ParamRequest, lr.Element(), "", spKP.Key)), jAna.list()...)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.send()
			if w.Code == http.StatusOK && bytes.Contains(w.Body.Bytes(), []byte("Envelope")) {
				el, err := binding.UnwrapSOAP(w.Body.Bytes(), saml.Limits{})
				require.NoError(t, err)
				resp, err := saml.ParseLogoutResponse(el)
				require.NoError(t, err)
				require.NotEqual(t, saml.StatusSuccess, resp.Status.Code)
			} else if w.Code == http.StatusFound {
				_, el, _ := redirected(t, w)
				resp, err := saml.ParseLogoutResponse(el)
				require.NoError(t, err)
				require.NotEqual(t, saml.StatusSuccess, resp.Status.Code)
			} else {
				require.GreaterOrEqual(t, w.Code, 400)
			}
			require.Len(t, e.session(jAna).Participants, 2, "ana's session intact")
			require.Len(t, e.session(jIvo).Participants, 2, "ivo's session intact")
		})
	}
}

// TestLogoutAtIssuer: the user signs out at the issuer; every participant
// is visited and the session ends.
func TestLogoutAtIssuer(t *testing.T) {
	e := newEnv(t)
	j, _, _ := e.loggedIn("ana")
	r := httptest.NewRequest(http.MethodPost, testBase+PathLogout, nil)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	require.Equal(t, http.StatusForbidden, e.do(r, j.list()...).Code)
	require.Len(t, e.session(j).Participants, 2)

	w := e.do(httptest.NewRequest(http.MethodPost, testBase+PathLogout, nil), j.list()...)
	j.update(w)
	for _, sp := range []struct {
		slo, id string
		kp      *samltest.KeyPair
	}{{testSLO, testSP, spKP}, {testSLO2, testSP2, sp2KP}} {
		u, el, _ := redirected(t, w)
		require.Equal(t, sp.slo, u.String())
		lr, err := saml.ParseLogoutRequest(el)
		require.NoError(t, err)
		id, _ := saml.NewID(nil)
		ans := &saml.LogoutResponse{StatusResponse: saml.StatusResponse{ID: id, InResponseTo: lr.ID, IssueInstant: e.clock.Now(),
			Issuer: &saml.NameID{Value: sp.id}, Status: &saml.Status{Code: saml.StatusSuccess}}}
		w = e.do(get(redirectURL(t, testBase+PathSLO, binding.ParamResponse, ans.Element(), "", sp.kp.Key)), j.list()...)
		j.update(w)
	}
	require.Equal(t, http.StatusOK, w.Code)
	require.Contains(t, w.Body.String(), "signed out of every service")
}

// TestLogoutBackChannelOnly: IdP.Logout (a credential revoked for misuse,
// N28) ends the session and reports the participants it could not reach.
func TestLogoutBackChannelOnly(t *testing.T) {
	e := newEnv(t)
	j, _, _ := e.loggedIn("ana")
	id := j[e.idp.sessionCookie()].Value
	require.ErrorIs(t, e.idp.Logout(t.Context(), id), ErrLogoutFailed, "front-channel-only participants")
	_, err := e.idp.sessions.Get(t.Context(), id, e.clock.Now())
	require.ErrorIs(t, err, ErrSessionNotFound)
	require.ErrorIs(t, e.idp.Logout(t.Context(), id), ErrSessionNotFound)
}
