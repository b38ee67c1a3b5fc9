package idp

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
)

// TestSSOAttacks sends hostile AuthnRequests (landscape.md attack classes)
// and asserts: no panic, no response to anything but the registered ACS,
// no session, and the error the lower layer reports.
func TestSSOAttacks(t *testing.T) {
	e := newEnv(t)
	replayed := e.authnRequest(nil)
	replayURL := redirectURL(t, testSSO, binding.ParamRequest, replayed.Element(), "", spKP.Key)
	e.do(httptest.NewRequest(http.MethodGet, replayURL, nil))

	bomb := deflateBomb(t)
	tests := []struct {
		name string
		req  func() *http.Request
		err  error
		also error // a more specific cause, if any
		// status is the second-level status sent to the trusted ACS; ""
		// means an error page and nothing sent to any ACS.
		status string
	}{
		{name: "unsigned redirect", err: ErrUnsigned, req: func() *http.Request {
			return get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", nil))
		}},
		{name: "unsigned post", err: ErrUnsigned, req: func() *http.Request {
			return postRequest(testSSO, binding.ParamRequest, toXML(t, e.authnRequest(nil).Element()), "")
		}},
		{name: "forged redirect signature", err: ErrBadSignature, req: func() *http.Request {
			return get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", xKP.Key))
		}},
		{name: "forged post signature", err: ErrBadSignature, req: func() *http.Request {
			return postRequest(testSSO, binding.ParamRequest, toXML(t, signed(t, e.authnRequest(nil).Element(), xKP)), "")
		}},
		{name: "key of another SP", err: ErrBadSignature, req: func() *http.Request {
			return get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", sp2KP.Key))
		}},
		{name: "tampered after signing", err: ErrBadSignature, req: func() *http.Request {
			el := signed(t, e.authnRequest(nil).Element(), spKP)
			el.CreateAttr("ForceAuthn", "true")
			return postRequest(testSSO, binding.ParamRequest, toXML(t, el), "")
		}},
		{name: "javascript ACS", err: ErrACS, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.AssertionConsumerServiceURL = "javascript:alert(1)" }))
		}},
		{name: "ACS not in metadata", err: ErrACS, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.AssertionConsumerServiceURL = "https://evil.example/acs" }))
		}},
		{name: "ACS of another SP", err: ErrACS, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.AssertionConsumerServiceURL = testACS2 }))
		}},
		{name: "ACS index missing", err: ErrACS, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) {
				ar.AssertionConsumerServiceURL, ar.AssertionConsumerServiceIndex = "", ptr(7)
			}))
		}},
		{name: "redirect ProtocolBinding", err: ErrUnsupported, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.ProtocolBinding = saml.BindingHTTPRedirect }))
		}},
		{name: "unknown issuer", err: ErrUnknownSP, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.Issuer.Value = "https://evil.example" }))
		}},
		{name: "missing issuer", err: ErrIssuer, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.Issuer = nil }))
		}},
		{name: "wrong destination", err: ErrDestination, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.Destination = "https://other.example/sso" }))
		}},
		{name: "signed without destination", err: ErrDestination, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.Destination = "" }))
		}},
		{name: "replayed ID", err: ErrReplayed, status: saml.StatusRequestDenied, req: func() *http.Request { return get(replayURL) }},
		{name: "too old", err: ErrExpired, status: saml.StatusRequestDenied, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.IssueInstant = testT0.Add(-time.Hour) }))
		}},
		{name: "from the future", err: ErrExpired, status: saml.StatusRequestDenied, req: func() *http.Request {
			return signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) { ar.IssueInstant = testT0.Add(time.Hour) }))
		}},
		{name: "DOCTYPE", err: ErrMalformed, also: saml.ErrDoctype, req: func() *http.Request {
			x := `<!DOCTYPE x [<!ENTITY a "b">]>` + string(toXML(t, e.authnRequest(nil).Element()))
			return postRequest(testSSO, binding.ParamRequest, []byte(x), "")
		}},
		{name: "deflate bomb", err: ErrMalformed, also: binding.ErrTooLarge, req: func() *http.Request {
			return get(testSSO + "?SAMLRequest=" + url.QueryEscape(bomb))
		}},
		{name: "oversize body", err: ErrMalformed, also: binding.ErrTooLarge, req: func() *http.Request {
			return postRequest(testSSO, binding.ParamRequest, bytes.Repeat([]byte("a"), DefaultMaxBodyBytes*8/5), "")
		}},
		{name: "RelayState over 80 bytes", err: ErrMalformed, also: binding.ErrRelayStateTooLong, req: func() *http.Request {
			return postRequest(testSSO, binding.ParamRequest, toXML(t, signed(t, e.authnRequest(nil).Element(), spKP)), strings.Repeat("r", 81))
		}},
		{name: "response instead of request", err: ErrMalformed, req: func() *http.Request {
			return get(redirectURL(t, testSSO, binding.ParamResponse, e.authnRequest(nil).Element(), "", spKP.Key))
		}},
		{name: "garbage", err: ErrMalformed, req: func() *http.Request { return get(testSSO + "?SAMLRequest=%%%") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, r2 := tt.req(), tt.req()
			_, err := e.idp.ParseAuthnRequest(r.Context(), r)
			require.ErrorIs(t, err, tt.err)
			if tt.also != nil {
				require.ErrorIs(t, err, tt.also)
			}

			e.calls = 0
			w := e.do(r2)
			j := jar{}
			j.update(w)
			require.Nil(t, j[e.idp.sessionCookie()], "no session")
			require.Nil(t, j[e.idp.pendingCookie()], "no pending login")
			require.Zero(t, e.calls, "the user is never asked")
			if tt.status == "" {
				require.NotContains(t, w.Body.String(), "SAMLResponse")
				require.GreaterOrEqual(t, w.Code, 400)
				return
			}
			resp, posted := e.response(w)
			require.Equal(t, testACS, posted.Action)
			_, second := statusOf(resp)
			require.Equal(t, tt.status, second)
			require.Empty(t, resp.Assertions)
		})
	}
}

// TestUnsignedAllowed: AllowUnsignedRequests loosens only the signature
// requirement; the ACS still comes from metadata.
func TestUnsignedAllowed(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AllowUnsignedRequests = true })
	r := get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", nil))
	req, err := e.idp.ParseAuthnRequest(r.Context(), r)
	require.NoError(t, err)
	require.False(t, req.Signed)
	r = get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(func(ar *saml.AuthnRequest) {
		ar.AssertionConsumerServiceURL = "https://evil.example/acs"
	}).Element(), "", nil))
	_, err = e.idp.ParseAuthnRequest(r.Context(), r)
	require.ErrorIs(t, err, ErrACS)
	r = get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", xKP.Key))
	_, err = e.idp.ParseAuthnRequest(r.Context(), r)
	require.ErrorIs(t, err, ErrBadSignature, "a present signature is still verified")
}

// TestACSSelection: index and default ACS come from metadata.
func TestACSSelection(t *testing.T) {
	e := newEnv(t)
	req := e.parsed(func(ar *saml.AuthnRequest) { ar.AssertionConsumerServiceURL, ar.ProtocolBinding = "", "" })
	require.Equal(t, testACS, req.ACS.Location)
	req = e.parsed(func(ar *saml.AuthnRequest) {
		ar.AssertionConsumerServiceURL, ar.AssertionConsumerServiceIndex = "", ptr(0)
	})
	require.Equal(t, testACS, req.ACS.Location)
}

func get(u string) *http.Request { return httptest.NewRequest(http.MethodGet, u, nil) }

func signedGet(t *testing.T, ar *saml.AuthnRequest) *http.Request {
	return get(redirectURL(t, testSSO, binding.ParamRequest, ar.Element(), "", spKP.Key))
}

func ptr(i int) *int { return &i }

// deflateBomb is a small DEFLATE stream that inflates far beyond the cap.
func deflateBomb(t testing.TB) string {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	require.NoError(t, err)
	_, err = fw.Write(make([]byte, DefaultMaxBodyBytes+1024))
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// TestPartnerErrors: unknown, suspended and expired SPs each have their own
// error (issue 3 "Bad input").
func TestPartnerErrors(t *testing.T) {
	keys(t)
	expired := spPartner(t, "https://old.example/metadata", "https://old.example/acs", "https://old.example/slo", spKP, "",
		func(c *metadata.SPConfig) {
			c.Now = func() time.Time { return testT0.Add(-48 * time.Hour) }
			c.ValidFor = time.Hour
		})
	e := newEnvSPs(t, []*partner.Partner{spPartner(t, testSP, testACS, testSLO, spKP, "", nil), expired})
	require.NoError(t, e.reg.Suspend(testSP, "paused"))
	for _, tt := range []struct {
		issuer string
		err    error
	}{{"https://nobody.example", ErrUnknownSP}, {expired.EntityID, ErrSPExpired}, {testSP, ErrSPSuspended}} {
		r := signedGet(t, e.authnRequest(func(ar *saml.AuthnRequest) {
			ar.Issuer.Value = tt.issuer
			if tt.issuer == expired.EntityID {
				ar.AssertionConsumerServiceURL = "https://old.example/acs"
			}
		}))
		_, err := e.idp.ParseAuthnRequest(r.Context(), r)
		require.ErrorIs(t, err, tt.err, tt.issuer)
	}
}

// TestEncryptWithoutCertificate: encryption demanded for an SP without an
// encryption key is a Responder status, never a plaintext assertion.
func TestEncryptWithoutCertificate(t *testing.T) {
	keys(t)
	noEnc := spPartner(t, testSP, testACS, testSLO, spKP, "", func(c *metadata.SPConfig) { c.EncryptionCertificates = nil })
	e := newEnvSPs(t, []*partner.Partner{noEnc}, func(c *Config) { c.EncryptAssertions = true })
	resp, _ := e.login(jar{}, e.authnRequest(nil), "ana", "")
	require.Equal(t, saml.StatusResponder, resp.Status.Code)
	require.Empty(t, resp.Assertions)
	require.Empty(t, resp.EncryptedAssertions)
}
