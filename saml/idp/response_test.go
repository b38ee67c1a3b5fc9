package idp

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/xmlenc"
)

// TestSSOLogin covers the Web SSO round trip on both request bindings
// (N24): form, login, then a signed assertion with every field an SP checks.
func TestSSOLogin(t *testing.T) {
	for _, bindingName := range []string{"redirect", "post"} {
		t.Run(bindingName, func(t *testing.T) {
			e := newEnv(t)
			ar := e.authnRequest(nil)
			var w *httptest.ResponseRecorder
			if bindingName == "redirect" {
				w = e.do(httptest.NewRequest(http.MethodGet, redirectURL(t, testSSO, binding.ParamRequest, ar.Element(), testRelay, spKP.Key), nil))
			} else {
				w = e.do(postRequest(testSSO, binding.ParamRequest, toXML(t, signed(t, ar.Element(), spKP)), testRelay))
			}
			require.Equal(t, http.StatusOK, w.Code)
			require.Contains(t, w.Body.String(), testBase+PathLogin)
			j := jar{}
			j.update(w)
			require.NotNil(t, j[e.idp.pendingCookie()])
			require.Nil(t, j[e.idp.sessionCookie()], "no session before login")

			r := httptest.NewRequest(http.MethodPost, testBase+PathLogin, stringsReader("user=ana&level=substantial"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w = e.do(r, j.list()...)
			j.update(w)
			resp, posted := e.response(w)
			require.Equal(t, testACS, posted.Action)
			require.Equal(t, testRelay, posted.RelayState)
			checkAssertion(t, resp, ar.ID, testSP, testACS)
			sess := j[e.idp.sessionCookie()]
			require.NotNil(t, sess)
			require.Equal(t, http.SameSiteNoneMode, sess.SameSite)
			require.True(t, sess.Secure && sess.HttpOnly)
		})
	}
}

func checkAssertion(t *testing.T, resp *saml.Response, reqID, audience, acs string) {
	t.Helper()
	require.Equal(t, saml.StatusSuccess, resp.Status.Code)
	require.Equal(t, reqID, resp.InResponseTo)
	require.Equal(t, acs, resp.Destination)
	require.Len(t, resp.Assertions, 1)
	a := resp.Assertions[0]
	require.Equal(t, "https://idp.example/metadata", a.Issuer.Value)
	require.Equal(t, testOIB+"ana", a.Subject.NameID.Value)
	sc := a.Subject.SubjectConfirmations
	require.Len(t, sc, 1)
	require.Equal(t, saml.ConfirmationMethodBearer, sc[0].Method)
	require.Equal(t, acs, sc[0].Data.Recipient)
	require.Equal(t, reqID, sc[0].Data.InResponseTo)
	require.Equal(t, testT0.Add(DefaultAssertionLifetime), sc[0].Data.NotOnOrAfter)
	require.Equal(t, [][]string{{audience}}, a.Conditions.AudienceRestrictions)
	require.Equal(t, testT0.Add(DefaultAssertionLifetime), a.Conditions.NotOnOrAfter)
	require.Len(t, a.AuthnStatements, 1)
	require.Equal(t, loa.EIDASSubstantial, a.AuthnStatements[0].AuthnContextClassRef)
	require.NotEmpty(t, a.AuthnStatements[0].SessionIndex)
	require.Equal(t, testT0.Add(DefaultSessionLifetime), a.AuthnStatements[0].SessionNotOnOrAfter)
	require.Len(t, a.AttributeStatements, 1)
	attrs := a.AttributeStatements[0].Attributes
	require.Len(t, attrs, 6)
	require.Equal(t, "oib", attrs[0].Name)
	require.Equal(t, saml.AttrNameFormatBasic, attrs[0].NameFormat)
	require.Equal(t, testOIB, attrs[0].Values[0].Value)
	require.Equal(t, saml.AttrNameFormatURI, attrs[3].NameFormat)
}

// TestMakeResponseOptions covers signed responses, encryption, per-SP
// signature methods and NameID policies.
func TestMakeResponseOptions(t *testing.T) {
	authn := &Authentication{Subject: saml.NameID{Value: testOIB, Format: saml.NameIDFormatPersistent},
		Attributes: sixAttributes(), LoA: loa.Notified(loa.High)}
	tests := []struct {
		name   string
		mod    func(*Config)
		policy string
		check  func(t *testing.T, is *Issued)
		err    error
	}{
		{name: "signed response", mod: func(c *Config) { c.SignResponse = true }, check: func(t *testing.T, is *Issued) {
			resp, err := saml.ParseResponseBytes(is.XML, saml.Limits{})
			require.NoError(t, err)
			_, err = (&dsig.Verifier{Certificates: []*x509Certificate{idpKP.Certificate}}).Verify(resp.Raw)
			require.NoError(t, err)
		}},
		{name: "encrypted", mod: func(c *Config) { c.EncryptAssertionsFor = []string{testSP} }, check: func(t *testing.T, is *Issued) {
			resp, err := saml.ParseResponseBytes(is.XML, saml.Limits{})
			require.NoError(t, err)
			require.Empty(t, resp.Assertions)
			require.Len(t, resp.EncryptedAssertions, 1)
			el, err := (&xmlenc.Decrypter{Keys: []cryptoDecrypter{spKP.Decrypter()}}).Decrypt(resp.EncryptedAssertions[0])
			require.NoError(t, err)
			_, err = (&dsig.Verifier{Certificates: []*x509Certificate{idpKP.Certificate}}).Verify(el)
			require.NoError(t, err)
		}},
		{name: "transient", policy: saml.NameIDFormatTransient, check: func(t *testing.T, is *Issued) {
			require.Equal(t, saml.NameIDFormatTransient, is.NameID.Format)
			require.NotEqual(t, testOIB, is.NameID.Value)
		}},
		{name: "pairwise persistent", policy: saml.NameIDFormatPersistent,
			mod: func(c *Config) { c.PersistentIDKey = make([]byte, 32) }, check: func(t *testing.T, is *Issued) {
				require.Equal(t, testOIB, is.NameID.Value, "subject already persistent: kept")
			}},
		{name: "unsatisfiable format", policy: saml.NameIDFormatEmail, err: ErrNameIDPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				if tt.mod != nil {
					tt.mod(c)
				}
			})
			req := e.parsed(func(ar *saml.AuthnRequest) {
				if tt.policy != "" {
					ar.NameIDPolicy = &saml.NameIDPolicy{Format: tt.policy}
				}
			})
			is, err := e.idp.MakeResponse(req, authn, "")
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				var re *RefusedError
				require.ErrorAs(t, err, &re)
				require.ErrorIs(t, err, saml.ErrStatusInvalidNameIDPolicy)
				return
			}
			require.NoError(t, err)
			tt.check(t, is)
		})
	}
}

// TestPairwiseNameID: a pseudonym differs per SP and is stable.
func TestPairwiseNameID(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PersistentIDKey = []byte("0123456789abcdef0123456789abcdef") })
	authn := &Authentication{Subject: saml.NameID{Value: testOIB}, LoA: loa.Notified(loa.High)}
	pol := func(ar *saml.AuthnRequest) { ar.NameIDPolicy = &saml.NameIDPolicy{Format: saml.NameIDFormatPersistent} }
	a, err := e.idp.MakeResponse(e.parsed(pol), authn, "")
	require.NoError(t, err)
	b, err := e.idp.MakeResponse(e.parsed(pol), authn, "")
	require.NoError(t, err)
	require.Equal(t, a.NameID.Value, b.NameID.Value)
	require.NotEqual(t, testOIB, a.NameID.Value)
	require.Equal(t, testSP, a.NameID.SPNameQualifier)
}

// TestSignatureMethodPerSP: the SP's alg:SigningMethod wins; eIDAS SPs
// get RSA-PSS (spec-digest §2.5).
func TestSignatureMethodPerSP(t *testing.T) {
	e := newEnv(t)
	p, err := e.reg.Lookup(t.Context(), testSP)
	require.NoError(t, err)
	require.Equal(t, dsig.RSASHA256, e.idp.signerFor(p.Metadata).Method)
	md := *p.Metadata
	md.Extensions.SPType = "public"
	require.Equal(t, dsig.RSAPSSSHA256, e.idp.signerFor(&md).Method)
	md.Extensions.SigningMethods = append(md.Extensions.SigningMethods, signingMethod(dsig.ECDSASHA256), signingMethod(dsig.RSASHA512))
	require.Equal(t, dsig.RSASHA512, e.idp.signerFor(&md).Method)
}

// parsed returns a verified Request for a signed POST AuthnRequest.
func (e *env) parsed(mod func(*saml.AuthnRequest)) *Request {
	ar := e.authnRequest(mod)
	r := postRequest(testSSO, binding.ParamRequest, toXML(e.t, signed(e.t, ar.Element(), spKP)), "")
	req, err := e.idp.ParseAuthnRequest(r.Context(), r)
	require.NoError(e.t, err)
	return req
}

var _ = time.Second
