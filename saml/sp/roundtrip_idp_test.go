package sp

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/idp"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/stretchr/testify/require"
)

var samlForm = regexp.MustCompile(`(?s)action="([^"]*)".*?name="(SAMLResponse|SAMLRequest)" value="([^"]*)"(?:.*?name="RelayState" value="([^"]*)")?`)

// postedForm reads the auto-posting form of the HTTP-POST binding.
func postedForm(t *testing.T, body string) (action, param, value, relay string) {
	t.Helper()
	m := samlForm.FindStringSubmatch(body)
	require.NotNil(t, m, body)
	return html.UnescapeString(m[1]), m[2], html.UnescapeString(m[3]), html.UnescapeString(m[4])
}

// TestRoundTripWithIdPTemplate: our SP against the saml/idp template, login
// at substantial and SP-initiated logout (issue 3: the two templates work
// together).
func TestRoundTripWithIdPTemplate(t *testing.T) {
	e, callIdP := idpRoundTripSetup(t)
	var spJar []*http.Cookie

	// Login through RequireLoA at substantial.
	guarded := e.sp.RequireLoA(loa.Notified(loa.Substantial))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello " + IdentityFromContext(r.Context()).First(AttrGivenName)))
	}))
	w := httptest.NewRecorder()
	guarded.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "https://eservice.example.hr/secure", nil))
	require.Equal(t, http.StatusFound, w.Code)
	spJar = applyCookies(spJar, w.Result().Cookies())
	iw := callIdP(httptest.NewRequest(http.MethodGet, w.Header().Get("Location"), nil))
	require.Equal(t, http.StatusOK, iw.Code, iw.Body.String())
	action, param, value, relay := postedForm(t, iw.Body.String())
	require.Equal(t, testACS, action)
	require.Equal(t, "SAMLResponse", param)
	xmlResp, err := base64.StdEncoding.DecodeString(value)
	require.NoError(t, err)
	ack := e.postACS(xmlResp, relay, spJar)
	require.Equal(t, http.StatusSeeOther, ack.Code, ack.Body.String())
	require.Equal(t, "/secure", ack.Header().Get("Location"))
	spJar = applyCookies(spJar, ack.Result().Cookies())

	r := httptest.NewRequest(http.MethodGet, "https://eservice.example.hr/secure", nil)
	for _, c := range spJar {
		r.AddCookie(c)
	}
	w = httptest.NewRecorder()
	guarded.ServeHTTP(w, r)
	require.Equal(t, "hello Ivana", w.Body.String())

	// SP-initiated logout: Redirect to the IdP, LogoutResponse back.
	r = httptest.NewRequest(http.MethodPost, testBaseURL+"/logout", nil)
	for _, c := range spJar {
		r.AddCookie(c)
	}
	w = httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, r)
	require.Equal(t, http.StatusFound, w.Code, w.Body.String())
	spJar = applyCookies(spJar, w.Result().Cookies())
	iw = callIdP(httptest.NewRequest(http.MethodGet, w.Header().Get("Location"), nil))
	back := backToSP(t, iw)
	for _, c := range spJar {
		back.AddCookie(c)
	}
	w = httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, back)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	require.Equal(t, "/", w.Header().Get("Location"))
}

// idpRoundTripSetup builds a saml/idp issuer and an SP configured from each
// other's metadata; the returned function is the browser's call to the
// issuer, with its own cookie jar.
func idpRoundTripSetup(t *testing.T) (*testEnv, func(*http.Request) *httptest.ResponseRecorder) {
	keys := testKeys()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	const idpBase = "https://idp.example.hr/saml"

	// The SP's metadata feeds the IdP's partner registry, and the IdP's the SP's.
	spReg := &lateRegistry{}
	issuer, err := idp.New(idp.Config{
		EntityID: idpBase + "/metadata", BaseURL: idpBase, Key: keys[0].Key, Certificates: []*x509.Certificate{keys[0].Certificate},
		SignResponse: true, SPs: spReg, Levels: []loa.Level{loa.Notified(loa.Substantial)}, Now: clock,
		Authenticator: idp.AuthenticatorFunc(func(http.ResponseWriter, *http.Request, *idp.Request) (*idp.Authentication, error) {
			return &idp.Authentication{Subject: saml.NameID{Value: "12345678903", Format: saml.NameIDFormatPersistent},
				LoA: loa.Notified(loa.Substantial), Attributes: []saml.Attribute{
					{Name: AttrOIB, NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "12345678903"}}},
					{Name: AttrGivenName, NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "Ivana"}}}}}, nil
		}),
	})
	require.NoError(t, err)
	idpMeta, err := issuer.Metadata()
	require.NoError(t, err)
	idpReg, err := partner.NewStatic(partner.StaticConfig{Environment: partner.EnvTest, Now: clock, Partners: []*partner.Partner{{EntityID: idpMeta.EntityID, Metadata: idpMeta}}})
	require.NoError(t, err)
	e := newEnv(t, func(c *Config) {
		c.IdPs, c.IdPEntityID, c.Now = idpReg, idpMeta.EntityID, clock
		c.RequireSignedResponse, c.RequireSignedAssertion = true, true
	})
	spXML, err := e.sp.Metadata(context.Background())
	require.NoError(t, err)
	spMeta, err := metadata.Parse(spXML, metadata.ParseOptions{Now: clock,
		Verifier: &dsig.Verifier{Certificates: []*x509.Certificate{e.spKP.Certificate}}})
	require.NoError(t, err)
	spReg.reg, err = partner.NewStatic(partner.StaticConfig{Environment: partner.EnvTest, Now: clock, Partners: []*partner.Partner{{EntityID: spMeta.EntityID, Metadata: spMeta}}})
	require.NoError(t, err)

	idpMux := http.NewServeMux()
	issuer.Mount(idpMux, "/saml")
	var idpJar []*http.Cookie
	return e, func(r *http.Request) *httptest.ResponseRecorder {
		for _, c := range idpJar {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		idpMux.ServeHTTP(w, r)
		idpJar = applyCookies(idpJar, w.Result().Cookies())
		return w
	}

}

// backToSP turns the IdP's answer (a redirect or an auto-posting form) into
// the browser's next request to the SP.
func backToSP(t *testing.T, w *httptest.ResponseRecorder) *http.Request {
	t.Helper()
	if w.Code == http.StatusFound || w.Code == http.StatusSeeOther {
		return httptest.NewRequest(http.MethodGet, w.Header().Get("Location"), nil)
	}
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	action, param, value, relay := postedForm(t, w.Body.String())
	form := url.Values{param: {value}}
	if relay != "" {
		form.Set("RelayState", relay)
	}
	r := httptest.NewRequest(http.MethodPost, action, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// lateRegistry lets the IdP be built before the SP's metadata exists.
type lateRegistry struct{ reg *partner.Registry }

func (l *lateRegistry) Lookup(ctx context.Context, id string) (*partner.Partner, error) {
	if l.reg == nil {
		return nil, partner.ErrUnknownPartner
	}
	return l.reg.Lookup(ctx, id)
}
