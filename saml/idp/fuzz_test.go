package idp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/eidkit/eidkit/saml/binding"
)

// fuzzEnv is shared by the fuzz targets' iterations.
func fuzzEnv(f *testing.F) *env {
	return newEnv(f, func(c *Config) { c.Logger = nil }) // f.Log may not be called from the target
}

// FuzzSSORedirect feeds arbitrary query strings to the SSO endpoint: no
// panic, and no response ever leaves for an ACS without a verified
// signature (the fuzzer cannot sign with the SP's key).
func FuzzSSORedirect(f *testing.F) {
	e := fuzzEnv(f)
	f.Add(mustQuery(redirectURL(f, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "r", xKP.Key)))
	f.Add(mustQuery(redirectURL(f, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", nil)))
	f.Add("SAMLRequest=%%%&RelayState=x")
	f.Add("SAMLRequest=" + url.QueryEscape(deflateBomb(f)))
	f.Fuzz(func(t *testing.T, query string) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, testSSO, nil)
		r.URL.RawQuery = query
		e.idp.Handler().ServeHTTP(w, r)
		if bytes.Contains(w.Body.Bytes(), []byte(`name="SAMLResponse"`)) {
			t.Fatalf("response sent for an unverifiable request: %q", query)
		}
	})
}

// FuzzSSOPOST feeds arbitrary XML to the SSO endpoint on HTTP-POST.
func FuzzSSOPOST(f *testing.F) {
	e := fuzzEnv(f)
	f.Add(toXML(f, e.authnRequest(nil).Element()), "")
	f.Add(toXML(f, signed(f, e.authnRequest(nil).Element(), xKP)), "relay")
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`), "")
	f.Fuzz(func(t *testing.T, xml []byte, relay string) {
		w := httptest.NewRecorder()
		e.idp.Handler().ServeHTTP(w, postRequest(testSSO, binding.ParamRequest, xml, relay))
		if bytes.Contains(w.Body.Bytes(), []byte(`name="SAMLResponse"`)) {
			t.Fatalf("response sent for an unverifiable request")
		}
	})
}

// FuzzSLOSOAP feeds arbitrary bodies to the SOAP logout endpoint: no
// panic, and no session ends without a valid signature.
func FuzzSLOSOAP(f *testing.F) {
	e := fuzzEnv(f)
	j, a1, _ := e.loggedIn("ana")
	lr := e.logoutRequest(testSP, a1, testBase+PathSLOSOAP)
	f.Add(binding.WrapSOAP(toXML(f, lr.Element())))
	f.Add(binding.WrapSOAP(toXML(f, signed(f, lr.Element(), xKP))))
	f.Add([]byte(`<Envelope/>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, testBase+PathSLOSOAP, bytes.NewReader(body))
		r.Header.Set("Content-Type", binding.SOAPContentType)
		e.idp.Handler().ServeHTTP(httptest.NewRecorder(), r)
		if _, err := e.idp.sessions.Get(t.Context(), j[e.idp.sessionCookie()].Value, e.clock.Now()); err != nil {
			t.Fatalf("session ended by an unsigned message: %v", err)
		}
	})
}

func mustQuery(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		panic(err)
	}
	return p.RawQuery
}
