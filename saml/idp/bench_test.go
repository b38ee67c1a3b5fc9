package idp

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
)

// BenchmarkIssueResponse is the issue's IdP speed target: a Response with
// a signed assertion (RSA-2048, 6 attributes), built and serialised.
// Compare with BenchmarkRawRSA2048Sign in the same run (target <= 1.2x).
func BenchmarkIssueResponse(b *testing.B) {
	e := newEnv(b, func(c *Config) { c.Logger = nil })
	req := e.parsed(nil)
	authn := &Authentication{Subject: saml.NameID{Value: testOIB, Format: saml.NameIDFormatPersistent},
		Attributes: sixAttributes(), LoA: loa.Notified(loa.Substantial)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.idp.MakeResponse(req, authn, "_session"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawRSA2048Sign is one RSA-2048 PKCS#1 v1.5 SHA-256 signature,
// the floor for BenchmarkIssueResponse.
func BenchmarkRawRSA2048Sign(b *testing.B) {
	keys(b)
	key := idpKP.Key.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("eidkit"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseAuthnRequest verifies a signed HTTP-Redirect AuthnRequest
// (decode, inflate, parse, query signature, policy checks).
func BenchmarkParseAuthnRequest(b *testing.B) {
	e := newEnv(b, func(c *Config) { c.Logger = nil })
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		r := get(redirectURL(b, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), testRelay, spKP.Key))
		b.StartTimer()
		if _, err := e.idp.ParseAuthnRequest(r.Context(), r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueVsRawSign alternates one issuance and one raw RSA-2048
// signature per iteration and reports their time ratio, so that load on a
// shared machine affects both sides alike (issue 3 target: <= 1.2).
func BenchmarkIssueVsRawSign(b *testing.B) {
	e := newEnv(b, func(c *Config) { c.Logger = nil })
	req := e.parsed(nil)
	authn := &Authentication{Subject: saml.NameID{Value: testOIB, Format: saml.NameIDFormatPersistent},
		Attributes: sixAttributes(), LoA: loa.Notified(loa.Substantial)}
	key := idpKP.Key.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("eidkit"))
	var issue, raw time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := e.idp.MakeResponse(req, authn, "_session"); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
		issue += t1.Sub(t0)
		raw += time.Since(t1)
	}
	b.ReportMetric(float64(issue)/float64(raw), "issue/raw")
}
