package binding

import (
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	crewsaml "github.com/crewjam/saml"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/samltest"
)

// benchRequest is an AuthnRequest of realistic size (about 1 KiB).
var benchRequest = strings.Replace(sampleRequest, "</samlp:AuthnRequest>",
	`<samlp:NameIDPolicy AllowCreate="true" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"/>`+
		`<samlp:RequestedAuthnContext Comparison="minimum"><saml:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`+
		`<samlp:Extensions>`+strings.Repeat(`<x:A xmlns:x="urn:x" Name="http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName"/>`, 6)+`</samlp:Extensions>`+
		`</samlp:AuthnRequest>`, 1)

func benchKey(b *testing.B, kt samltest.KeyType) *samltest.KeyPair {
	b.Helper()
	kp, err := samltest.GenerateKeyPair(kt, samltest.CertOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return kp
}

// BenchmarkEncodeRedirectSigned measures Redirect.URL: DEFLATE plus the
// query signature, against unsigned encoding and crewjam's Redirect.
func BenchmarkEncodeRedirectSigned(b *testing.B) {
	rsaKey := benchKey(b, samltest.RSA2048)
	ecKey := benchKey(b, samltest.P256)
	for _, bc := range []struct {
		name string
		kp   *samltest.KeyPair
	}{{"unsigned", nil}, {"rsa2048", rsaKey}, {"p256", ecKey}} {
		b.Run(bc.name, func(b *testing.B) {
			r := Redirect{Destination: "https://idp.example.org/sso", Param: ParamRequest, XML: []byte(benchRequest), RelayState: "7f3a9c"}
			if bc.kp != nil {
				r.Key = bc.kp.Key
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.URL(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("crewjam-rsa2048", func(b *testing.B) {
		sp := &crewsaml.ServiceProvider{Key: rsaKey.Key, Certificate: rsaKey.Certificate, SignatureMethod: dsig.RSASHA256}
		req := &crewsaml.AuthnRequest{ID: "_a1b2c3", Version: "2.0", IssueInstant: time.Now(), Destination: "https://idp.example.org/sso"}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := req.Redirect("7f3a9c", sp); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeRedirect measures DecodeRedirect (raw query split,
// base64, bounded inflate) and, separately, decode plus Verify.
func BenchmarkDecodeRedirect(b *testing.B) {
	kp := benchKey(b, samltest.RSA2048)
	u, err := (&Redirect{Destination: "https://idp.example.org/sso", Param: ParamRequest, XML: []byte(benchRequest), RelayState: "7f3a9c", Key: kp.Key}).URL()
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, u, nil)
	certs := []*x509.Certificate{kp.Certificate}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeRedirect(req, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode+verify-rsa2048", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, err := DecodeRedirect(req, Limits{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := m.Verify(certs, dsig.Policy{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("crewjam-decode", func(b *testing.B) {
		idp := &crewsaml.IdentityProvider{}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := crewsaml.NewIdpAuthnRequest(idp, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodePOST measures form decoding of a 1 KiB message.
func BenchmarkDecodePOST(b *testing.B) {
	body := "SAMLResponse=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(benchRequest))) + "&RelayState=7f3a9c"
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "https://sp.example.org/acs", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if _, err := DecodePOST(r, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWritePOST measures rendering the auto-submitting form.
func BenchmarkWritePOST(b *testing.B) {
	xml := []byte(benchRequest)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		if err := WritePOST(rec, "https://sp.example.org/acs", ParamResponse, xml, "7f3a9c"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnwrapSOAP measures envelope parsing of a 1 KiB message.
func BenchmarkUnwrapSOAP(b *testing.B) {
	env := WrapSOAP([]byte(benchRequest))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := UnwrapSOAP(env, saml.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
