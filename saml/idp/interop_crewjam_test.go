package idp

import (
	"encoding/base64"
	"encoding/xml"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	crewjam "github.com/crewjam/saml"
	xdsig "github.com/russellhaering/goxmldsig"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
)

// crewjamEnv wires a crewjam/saml v0.5.1 ServiceProvider (a test-only
// peer) to our IdP through each other's metadata. Both run on the real
// clock, since crewjam reads a package-level one.
func crewjamEnv(t *testing.T) (*env, *crewjam.ServiceProvider) {
	keys(t)
	acs, _ := url.Parse("https://crewjam.example/saml/acs")
	slo, _ := url.Parse("https://crewjam.example/saml/slo")
	mdURL, _ := url.Parse("https://crewjam.example/saml/metadata")
	csp := &crewjam.ServiceProvider{Key: spKP.Key, Certificate: spKP.Certificate, MetadataURL: *mdURL, AcsURL: *acs,
		SloURL: *slo, SignatureMethod: xdsig.RSASHA256SignatureMethod, LogoutBindings: []string{crewjam.HTTPPostBinding}}
	mdXML, err := xml.Marshal(csp.Metadata())
	require.NoError(t, err)
	spMD, err := metadata.Parse(mdXML, metadata.ParseOptions{AllowUnsigned: true})
	require.NoError(t, err)
	e := newEnvSPs(t, []*partner.Partner{{EntityID: spMD.EntityID, Metadata: spMD}})
	e.clock.t = time.Now()
	idpMD, err := e.idp.SignedMetadata()
	require.NoError(t, err)
	csp.IDPMetadata = &crewjam.EntityDescriptor{}
	require.NoError(t, xml.Unmarshal(idpMD, csp.IDPMetadata))
	return e, csp
}

// TestInteropCrewjamSP: crewjam's SP sends an AuthnRequest on HTTP-Redirect
// and HTTP-POST; our IdP accepts it and crewjam's ParseResponse accepts our
// response (issue 3 "Proof": its SP accepts our IdP's responses); then
// crewjam's SP-initiated logout ends the session.
func TestInteropCrewjamSP(t *testing.T) {
	for _, bind := range []string{crewjam.HTTPRedirectBinding, crewjam.HTTPPostBinding} {
		t.Run(bind, func(t *testing.T) {
			e, csp := crewjamEnv(t)
			ar, err := csp.MakeAuthenticationRequest(testSSO, bind, crewjam.HTTPPostBinding)
			require.NoError(t, err)
			var w *httptest.ResponseRecorder
			if bind == crewjam.HTTPRedirectBinding {
				u, err := ar.Redirect("state-1", csp)
				require.NoError(t, err)
				w = e.do(get(u.String()))
			} else {
				form := string(ar.Post("state-1"))
				v := regexp.MustCompile(`name="SAMLRequest" value="([^"]*)"`).FindStringSubmatch(form)
				require.NotNil(t, v)
				r := httptest.NewRequest(http.MethodPost, testSSO, strings.NewReader(url.Values{"SAMLRequest": {html.UnescapeString(v[1])}, "RelayState": {"state-1"}}.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				w = e.do(r)
			}
			require.Contains(t, w.Body.String(), PathLogin, w.Body.String())
			j := jar{}
			j.update(w)
			r := httptest.NewRequest(http.MethodPost, testBase+PathLogin, strings.NewReader("user=ana"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w = e.do(r, j.list()...)
			j.update(w)
			posted := parsePosted(t, w.Body.String())
			require.Equal(t, "https://crewjam.example/saml/acs", posted.Action)
			require.Equal(t, "state-1", posted.RelayState)

			acsReq := httptest.NewRequest(http.MethodPost, posted.Action, strings.NewReader(url.Values{
				"SAMLResponse": {base64.StdEncoding.EncodeToString(posted.XML)}, "RelayState": {posted.RelayState}}.Encode()))
			acsReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			require.NoError(t, acsReq.ParseForm())
			assertion, err := csp.ParseResponse(acsReq, []string{ar.ID})
			if err != nil {
				t.Log(err.(*crewjam.InvalidResponseError).PrivateErr)
			}
			require.NoError(t, err)
			require.Equal(t, saml.NameIDFormatTransient, assertion.Subject.NameID.Format)
			require.Len(t, assertion.AttributeStatements[0].Attributes, 6)

			// crewjam SP-initiated logout (enveloped signature on Redirect).
			lu, err := csp.MakeRedirectLogoutRequest(assertion.Subject.NameID.Value, "bye")
			require.NoError(t, err)
			w = e.do(get(lu.String()), j.list()...)
			back := parsePosted(t, w.Body.String()) // crewjam publishes only an HTTP-POST SLO endpoint
			require.Equal(t, "https://crewjam.example/saml/slo", back.Action)
			require.Equal(t, "bye", back.RelayState)
			lr := httptest.NewRequest(http.MethodPost, back.Action, strings.NewReader(url.Values{
				"SAMLResponse": {base64.StdEncoding.EncodeToString(back.XML)}}.Encode()))
			lr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			require.NoError(t, lr.ParseForm())
			require.NoError(t, csp.ValidateLogoutResponseRequest(lr))
			_, err = e.idp.sessions.Get(t.Context(), j[e.idp.sessionCookie()].Value, e.clock.Now())
			require.ErrorIs(t, err, ErrSessionNotFound)
		})
	}
}
