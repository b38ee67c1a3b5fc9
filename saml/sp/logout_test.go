package sp

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/stretchr/testify/require"
)

func (e *testEnv) logoutRequest(nameID string, indexes ...string) *saml.LogoutRequest {
	id, _ := saml.NewID(rand.Reader)
	return &saml.LogoutRequest{ID: id, IssueInstant: e.now, Destination: "",
		Issuer: &saml.NameID{Value: testIdPEntity}, NotOnOrAfter: e.now.Add(5 * time.Minute),
		NameID: &saml.NameID{Value: nameID, Format: saml.NameIDFormatPersistent}, SessionIndexes: indexes}
}

func (e *testEnv) signedXML(el *etree.Element, kp *samltest.KeyPair) []byte {
	if kp == nil {
		kp = e.idpKP
	}
	require.NoError(e.t, (&dsig.Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}).Sign(el))
	return serialize(e.t, el)
}

// soapLogout posts a LogoutRequest to the SOAP endpoint and returns the
// parsed LogoutResponse.
func (e *testEnv) soapLogout(body []byte) *saml.LogoutResponse {
	e.t.Helper()
	r := httptest.NewRequest(http.MethodPost, testBaseURL+"/slo/soap", bytes.NewReader(binding.WrapSOAP(body)))
	r.Header.Set("Content-Type", binding.SOAPContentType)
	w := httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, r)
	require.Equal(e.t, http.StatusOK, w.Code, w.Body.String())
	el, err := binding.UnwrapSOAP(w.Body.Bytes(), saml.Limits{})
	require.NoError(e.t, err)
	_, err = (&dsig.Verifier{Certificates: []*x509.Certificate{e.spKP.Certificate}}).Verify(el)
	require.NoError(e.t, err, "the SP signs its LogoutResponse")
	lr, err := saml.ParseLogoutResponse(el)
	require.NoError(e.t, err)
	require.Equal(e.t, testIdPSOAP, lr.Destination)
	return lr
}

func (e *testEnv) alive(c *http.Cookie) error {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(c)
	_, err := e.sp.Identity(r)
	return err
}

// TestSOAPLogout: back-channel logout (N14, spec-digest §4.4) ends only the
// sessions matching issuer, NameID and SessionIndex; forged, expired and
// replayed requests are refused with a Requester status and end nothing.
func TestSOAPLogout(t *testing.T) {
	e := newEnv(t)
	c := e.login(loa.Notified(loa.Low))
	require.NoError(t, e.alive(c))

	refused := map[string][]byte{
		"unsigned":      serialize(t, e.logoutRequest("tid-12345", "sess-1").Element()),
		"forged key":    e.signedXML(e.logoutRequest("tid-12345", "sess-1").Element(), e.otherKP),
		"other user":    e.signedXML(e.logoutRequest("tid-other").Element(), nil),
		"other session": e.signedXML(e.logoutRequest("tid-12345", "sess-2").Element(), nil),
		"foreign issuer": func() []byte {
			lr := e.logoutRequest("tid-12345", "sess-1")
			lr.Issuer.Value = "https://other-idp"
			return e.signedXML(lr.Element(), nil)
		}(),
		"expired": func() []byte {
			lr := e.logoutRequest("tid-12345", "sess-1")
			lr.NotOnOrAfter = e.now.Add(-5 * time.Minute)
			return e.signedXML(lr.Element(), nil)
		}(),
		"wrong destination": func() []byte {
			lr := e.logoutRequest("tid-12345", "sess-1")
			lr.Destination = "https://evil/slo"
			return e.signedXML(lr.Element(), nil)
		}(),
	}
	for name, body := range refused {
		t.Run(name, func(t *testing.T) {
			resp := e.soapLogout(body)
			if name == "other user" || name == "other session" {
				require.NoError(t, resp.Err(), "a valid request for someone else succeeds")
			} else {
				require.Error(t, resp.Err())
			}
			require.NoError(t, e.alive(c), "this session survives (SessionIndex confusion)")
		})
	}

	good := e.signedXML(e.logoutRequest("tid-12345", "sess-1").Element(), nil)
	var revoked []LogoutTarget
	e.sp.cfg.OnRevoke = func(_ context.Context, t LogoutTarget) { revoked = append(revoked, t) }
	resp := e.soapLogout(good)
	require.NoError(t, resp.Err())
	require.ErrorIs(t, e.alive(c), ErrSessionExpired)
	require.Len(t, revoked, 1)
	require.Equal(t, "tid-12345", revoked[0].NameID)

	resp = e.soapLogout(good)
	require.ErrorIs(t, resp.Err(), saml.ErrStatusRequester, "replay refused")

	// A later login of the same user is not affected by the old revocation.
	e.now = e.now.Add(time.Second)
	c2 := e.login(loa.Notified(loa.Low))
	require.NoError(t, e.alive(c2))
}

func TestSOAPLogoutMalformed(t *testing.T) {
	e := newEnv(t)
	for name, body := range map[string]string{
		"not SOAP": "<x/>",
		"doctype":  `<!DOCTYPE x><x/>`,
		"soap 1.2": `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>`,
		"empty":    "",
	} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, testBaseURL+"/slo/soap", strings.NewReader(body))
			r.Header.Set("Content-Type", binding.SOAPContentType)
			w := httptest.NewRecorder()
			e.sp.Handler().ServeHTTP(w, r)
			require.Equal(t, http.StatusInternalServerError, w.Code)
			require.Contains(t, w.Body.String(), "Fault")
		})
	}
}

// TestFrontChannelLogoutRedirect: IdP-initiated logout over HTTP-Redirect
// with the query signature verified over the raw octets.
func TestFrontChannelLogoutRedirect(t *testing.T) {
	e := newEnv(t)
	c := e.login(loa.Notified(loa.Low))
	send := func(lr *saml.LogoutRequest, key *samltest.KeyPair, relay string) *httptest.ResponseRecorder {
		u, err := (&binding.Redirect{Destination: testBaseURL + "/slo", Param: binding.ParamRequest,
			XML: serialize(t, lr.Element()), RelayState: relay, Key: keyOf(key)}).URL()
		require.NoError(t, err)
		r := httptest.NewRequest(http.MethodGet, u, nil)
		r.AddCookie(c)
		w := httptest.NewRecorder()
		e.sp.Handler().ServeHTTP(w, r)
		return w
	}
	// Unsigned and forged: error page, session intact, no redirect.
	for _, kp := range []*samltest.KeyPair{nil, e.otherKP} {
		w := send(e.logoutRequest("tid-12345", "sess-1"), kp, "")
		require.Equal(t, http.StatusBadRequest, w.Code)
		require.Empty(t, w.Header().Get("Location"))
		require.NoError(t, e.alive(c))
	}
	w := send(e.logoutRequest("tid-12345", "sess-1"), e.idpKP, "idp-state")
	require.Equal(t, http.StatusFound, w.Code, w.Body.String())
	loc, err := url.Parse(w.Header().Get("Location"))
	require.NoError(t, err)
	require.Equal(t, testIdPSLO, loc.Scheme+"://"+loc.Host+loc.Path)
	msg, err := binding.DecodeRedirectQuery(loc.RawQuery, binding.Limits{})
	require.NoError(t, err)
	_, err = msg.Verify([]*x509.Certificate{e.spKP.Certificate}, dsig.Policy{})
	require.NoError(t, err)
	require.Equal(t, "idp-state", msg.RelayState)
	resp, err := saml.ParseLogoutResponseBytes(msg.XML, saml.Limits{})
	require.NoError(t, err)
	require.NoError(t, resp.Err())
	cleared := false
	for _, ck := range w.Result().Cookies() {
		cleared = cleared || (ck.Name == e.sp.sessionCookieName() && ck.MaxAge < 0)
	}
	require.True(t, cleared)
	require.ErrorIs(t, e.alive(c), ErrSessionExpired)
}

func keyOf(kp *samltest.KeyPair) cryptoSigner {
	if kp == nil {
		return nil
	}
	return kp.Key
}

// TestSLORedirectDeflateBomb: the Redirect binding's inflation is capped.
func TestSLORedirectDeflateBomb(t *testing.T) {
	e := newEnv(t)
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = fw.Write([]byte("<samlp:LogoutRequest " + strings.Repeat(" ", 4<<20)))
	_ = fw.Close()
	q := "SAMLRequest=" + url.QueryEscape(base64.StdEncoding.EncodeToString(buf.Bytes()))
	r := httptest.NewRequest(http.MethodGet, testBaseURL+"/slo?"+q, nil)
	w := httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, r)
	require.GreaterOrEqual(t, w.Code, 400)
	require.Empty(t, w.Header().Get("Location"))
}

// TestSPInitiatedLogout: signed LogoutRequest with NameID and SessionIndex,
// then the IdP's LogoutResponse is checked against this browser's request.
func TestSPInitiatedLogout(t *testing.T) {
	for _, bind := range []string{saml.BindingHTTPRedirect, saml.BindingHTTPPOST} {
		t.Run(bind, func(t *testing.T) {
			e := newEnv(t)
			c := e.login(loa.Notified(loa.Low))
			e.sp.cfg.RequestBinding = bind
			r := httptest.NewRequest(http.MethodPost, testBaseURL+"/logout", nil)
			r.AddCookie(c)
			w := httptest.NewRecorder()
			e.sp.Handler().ServeHTTP(w, r)
			var lrXML []byte
			if bind == saml.BindingHTTPRedirect {
				require.Equal(t, http.StatusFound, w.Code)
				loc, _ := url.Parse(w.Header().Get("Location"))
				msg, err := binding.DecodeRedirectQuery(loc.RawQuery, binding.Limits{})
				require.NoError(t, err)
				_, err = msg.Verify([]*x509.Certificate{e.spKP.Certificate}, dsig.Policy{})
				require.NoError(t, err)
				lrXML = msg.XML
			} else {
				require.Equal(t, http.StatusOK, w.Code)
				raw, err := base64.StdEncoding.DecodeString(formValue(t, w.Body.String(), "SAMLRequest"))
				require.NoError(t, err)
				doc, err := saml.ParseXML(raw, saml.Limits{})
				require.NoError(t, err)
				_, err = (&dsig.Verifier{Certificates: []*x509.Certificate{e.spKP.Certificate}}).Verify(doc.Root())
				require.NoError(t, err)
				lrXML = raw
			}
			lr, err := saml.ParseLogoutRequestBytes(lrXML, saml.Limits{})
			require.NoError(t, err)
			require.Equal(t, "tid-12345", lr.NameID.Value)
			require.Equal(t, []string{"sess-1"}, lr.SessionIndexes)
			require.Equal(t, testIdPSLO, lr.Destination)
			jar := applyCookies([]*http.Cookie{c}, w.Result().Cookies())
			require.Nil(t, cookieNamed(jar, e.sp.sessionCookieName()), "local session ended at once")

			answer := func(irt string, kp *samltest.KeyPair, jar []*http.Cookie) *httptest.ResponseRecorder {
				id, _ := saml.NewID(rand.Reader)
				resp := &saml.LogoutResponse{StatusResponse: saml.StatusResponse{ID: id, InResponseTo: irt, IssueInstant: e.now,
					Destination: testBaseURL + "/slo", Issuer: &saml.NameID{Value: testIdPEntity}, Status: &saml.Status{Code: saml.StatusSuccess}}}
				body := url.Values{binding.ParamResponse: {base64.StdEncoding.EncodeToString(e.signedXML(resp.Element(), kp))}}
				r := httptest.NewRequest(http.MethodPost, testBaseURL+"/slo", strings.NewReader(body.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				for _, c := range jar {
					r.AddCookie(c)
				}
				w := httptest.NewRecorder()
				e.sp.Handler().ServeHTTP(w, r)
				return w
			}
			require.Equal(t, http.StatusBadRequest, answer("_other", nil, jar).Code, "foreign InResponseTo")
			require.Equal(t, http.StatusBadRequest, answer(lr.ID, e.otherKP, jar).Code, "forged")
			require.Equal(t, http.StatusBadRequest, answer(lr.ID, nil, nil).Code, "another browser")
			w = answer(lr.ID, nil, jar)
			require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
			require.Equal(t, "/", w.Header().Get("Location"))
		})
	}
}

// TestFrontChannelLogoutPOST: IdP-initiated logout over HTTP-POST needs an
// enveloped signature by the IdP's metadata key; the answer is a signed
// LogoutResponse posted back to the IdP's SLO endpoint.
func TestFrontChannelLogoutPOST(t *testing.T) {
	e := newEnv(t)
	c := e.login(loa.Notified(loa.Low))
	post := func(body []byte) *httptest.ResponseRecorder {
		form := url.Values{binding.ParamRequest: {base64.StdEncoding.EncodeToString(body)}, binding.ParamRelayState: {"idp-rs"}}
		r := httptest.NewRequest(http.MethodPost, testBaseURL+"/slo", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(c)
		w := httptest.NewRecorder()
		e.sp.Handler().ServeHTTP(w, r)
		return w
	}
	for name, body := range map[string][]byte{
		"unsigned": serialize(t, e.logoutRequest("tid-12345", "sess-1").Element()),
		"forged":   e.signedXML(e.logoutRequest("tid-12345", "sess-1").Element(), e.otherKP),
	} {
		w := post(body)
		require.Equal(t, http.StatusBadRequest, w.Code, name)
		require.NoError(t, e.alive(c), name)
	}
	w := post(e.signedXML(e.logoutRequest("tid-12345", "sess-1").Element(), nil))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	action, param, value, relay := postedForm(t, w.Body.String())
	require.Equal(t, testIdPSLO, action)
	require.Equal(t, binding.ParamResponse, param)
	require.Equal(t, "idp-rs", relay)
	raw, err := base64.StdEncoding.DecodeString(value)
	require.NoError(t, err)
	doc, err := saml.ParseXML(raw, saml.Limits{})
	require.NoError(t, err)
	_, err = (&dsig.Verifier{Certificates: []*x509.Certificate{e.spKP.Certificate}}).Verify(doc.Root())
	require.NoError(t, err)
	require.ErrorIs(t, e.alive(c), ErrSessionExpired)
}

// TestLogoutNotByGET: starting logout is POST only. The session cookie is
// SameSite=Lax, which browsers send on a cross-site top-level GET, so a GET
// endpoint would let any page end the user's session (logout CSRF, N14).
func TestLogoutNotByGET(t *testing.T) {
	e := newEnv(t)
	c := e.login(loa.Notified(loa.Low))
	r := httptest.NewRequest(http.MethodGet, testBaseURL+"/logout", nil)
	r.AddCookie(c)
	w := httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, r)
	require.Equal(t, http.StatusMethodNotAllowed, w.Code)
	require.Empty(t, w.Header().Get("Location"))
	for _, set := range w.Result().Cookies() {
		require.NotEqual(t, c.Name, set.Name, "the session cookie must not be touched")
	}

	check := httptest.NewRequest(http.MethodGet, "/", nil)
	check.AddCookie(c)
	_, err := e.sp.Identity(check)
	require.NoError(t, err, "the session survives")
}
