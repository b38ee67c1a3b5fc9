package sp

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"html"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"testing"
	"time"

	crewjam "github.com/crewjam/saml"
	"github.com/crewjam/saml/logger"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	xdsig "github.com/russellhaering/goxmldsig"
	"github.com/stretchr/testify/require"
)

type crewjamSPs struct{ md *crewjam.EntityDescriptor }

func (c crewjamSPs) GetServiceProvider(_ *http.Request, id string) (*crewjam.EntityDescriptor, error) {
	if id != c.md.EntityID {
		return nil, os.ErrNotExist
	}
	return c.md, nil
}

type crewjamSessions struct{}

func (crewjamSessions) GetSession(_ http.ResponseWriter, _ *http.Request, _ *crewjam.IdpAuthnRequest) *crewjam.Session {
	return &crewjam.Session{ID: "s1", Index: "crewjam-session-1", NameID: "ivana.horvat", NameIDFormat: string(crewjam.PersistentNameIDFormat),
		UserName: "ivana", UserGivenName: "Ivana", UserSurname: "Horvat", UserEmail: "ivana@example.hr",
		CustomAttributes: []crewjam.Attribute{{Name: AttrOIB, NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
			Values: []crewjam.AttributeValue{{Type: "xs:string", Value: "12345678903"}}}}}
}

var formField = regexp.MustCompile(`name="(SAMLResponse|RelayState)" value="([^"]*)"`)

// TestInteropCrewjamIdP: our SP accepts crewjam/saml v0.5.1 IdP responses
// (test-only peer) over HTTP-POST, after our signed AuthnRequest, sent over
// HTTP-Redirect or HTTP-POST, passed crewjam's validation.
func TestInteropCrewjamIdP(t *testing.T) {
	for _, bind := range []string{saml.BindingHTTPRedirect, saml.BindingHTTPPOST} {
		t.Run(bind, func(t *testing.T) {
			e, srv, _ := crewjamSetup(t, bind)
			r := httptest.NewRequest(http.MethodGet, "https://eservice.example.hr/app", nil)
			w := httptest.NewRecorder()
			require.NoError(t, e.sp.StartLogin(w, r, LoginOptions{ReturnPath: "/profile"}))
			var resp *http.Response
			var err error
			if bind == saml.BindingHTTPRedirect {
				resp, err = http.Get(w.Header().Get("Location"))
			} else {
				action, _, value, relay := postedForm(t, w.Body.String())
				require.Equal(t, srv.URL+"/sso", action)
				resp, err = http.PostForm(action, url.Values{"SAMLRequest": {value}, "RelayState": {relay}})
			}
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			fields := map[string]string{}
			for _, m := range formField.FindAllStringSubmatch(readAll(t, resp), -1) {
				fields[m[1]] = html.UnescapeString(m[2])
			}
			require.NotEmpty(t, fields["SAMLResponse"])
			xmlResp, err := base64.StdEncoding.DecodeString(fields["SAMLResponse"])
			require.NoError(t, err)

			ack := e.postACS(xmlResp, fields["RelayState"], w.Result().Cookies())
			require.Equal(t, http.StatusSeeOther, ack.Code, ack.Body.String())
			require.Equal(t, "/profile", ack.Header().Get("Location"))
			sess := cookieNamed(ack.Result().Cookies(), e.sp.sessionCookieName())
			require.NotNil(t, sess)
			require.NoError(t, e.alive(sess))
			req := httptest.NewRequest(http.MethodGet, "/profile", nil)
			req.AddCookie(sess)
			id, err := e.sp.Identity(req)
			require.NoError(t, err)
			require.Equal(t, "ivana.horvat", id.NameID)
			require.Equal(t, "crewjam-session-1", id.SessionIndex)
			require.Equal(t, "12345678903", id.First(AttrOIB))
			require.Equal(t, "Ivana", id.First("givenName"))

			again := e.postACS(xmlResp, fields["RelayState"], w.Result().Cookies())
			require.Equal(t, http.StatusBadRequest, again.Code, "the same response again is a replay")
		})
	}
}

// crewjamSetup starts a crewjam IdentityProvider on loopback and an SP that
// trusts it, each configured from the other's metadata.
func crewjamSetup(t *testing.T, bind string) (*testEnv, *httptest.Server, *crewjam.IdentityProvider) {
	keys := testKeys()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	oldNow := crewjam.TimeNow
	crewjam.TimeNow = func() time.Time { return now }
	t.Cleanup(func() { crewjam.TimeNow = oldNow })

	idp := &crewjam.IdentityProvider{Key: keys[0].Key, Certificate: keys[0].Certificate,
		Logger: logger.Interface(log.New(testWriter{t}, "crewjam: ", 0)), SignatureMethod: xdsig.RSASHA256SignatureMethod,
		SessionProvider: crewjamSessions{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { idp.ServeSSO(w, r) }))
	t.Cleanup(srv.Close)
	mdURL, _ := url.Parse(srv.URL + "/metadata")
	ssoURL, _ := url.Parse(srv.URL + "/sso")
	idp.MetadataURL, idp.SSOURL = *mdURL, *ssoURL

	mdXML, err := xml.Marshal(idp.Metadata())
	require.NoError(t, err)
	idpMeta, err := metadata.Parse(mdXML, metadata.ParseOptions{AllowUnsigned: true, Now: func() time.Time { return now }})
	require.NoError(t, err)
	reg, err := partner.NewStatic(partner.StaticConfig{Environment: partner.EnvTest, Now: func() time.Time { return now }, Partners: []*partner.Partner{{EntityID: idpMeta.EntityID, Metadata: idpMeta}}})
	require.NoError(t, err)
	lreg, err := loa.New(loa.RegistryConfig{National: []loa.NationalLevel{{
		ClassRef: "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", Equivalent: loa.Notified(loa.Low)}}})
	require.NoError(t, err)
	e := newEnv(t, func(c *Config) {
		c.IdPs, c.IdPEntityID, c.LoA, c.RequestBinding = reg, idpMeta.EntityID, lreg, bind
		c.DecryptionKeys, c.EncryptionCertificates = nil, nil // crewjam encrypts only with AES-CBC
		c.Now = func() time.Time { return now }
	})
	spMD, err := e.sp.Metadata(context.Background())
	require.NoError(t, err)
	var cmd crewjam.EntityDescriptor
	require.NoError(t, xml.Unmarshal(spMD, &cmd))
	idp.ServiceProviderProvider = crewjamSPs{&cmd}
	return e, srv, idp
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

func readAll(t *testing.T, r *http.Response) string {
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(b)
}

// TestInteropCrewjamSHA1Refused: crewjam signs with RSA-SHA1 unless told
// otherwise (style rule 4 "Avoid"); our SP refuses it by default.
func TestInteropCrewjamSHA1Refused(t *testing.T) {
	e, _, idp := crewjamSetup(t, saml.BindingHTTPRedirect)
	idp.SignatureMethod = ""
	r := httptest.NewRequest(http.MethodGet, "https://eservice.example.hr/app", nil)
	w := httptest.NewRecorder()
	require.NoError(t, e.sp.StartLogin(w, r, LoginOptions{}))
	resp, err := http.Get(w.Header().Get("Location"))
	require.NoError(t, err)
	defer resp.Body.Close()
	fields := map[string]string{}
	for _, m := range formField.FindAllStringSubmatch(readAll(t, resp), -1) {
		fields[m[1]] = html.UnescapeString(m[2])
	}
	xmlResp, err := base64.StdEncoding.DecodeString(fields["SAMLResponse"])
	require.NoError(t, err)
	require.Contains(t, string(xmlResp), "rsa-sha1")
	ack := e.postACS(xmlResp, fields["RelayState"], w.Result().Cookies())
	require.Equal(t, http.StatusBadRequest, ack.Code)
	require.Nil(t, cookieNamed(ack.Result().Cookies(), e.sp.sessionCookieName()))
}
