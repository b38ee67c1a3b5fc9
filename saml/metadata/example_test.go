package metadata_test

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
)

func loadPEM(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		log.Fatalf("%s: no PEM block", path)
	}
	return block.Bytes
}

func loadCert(path string) *x509.Certificate {
	cert, err := x509.ParseCertificate(loadPEM(path))
	if err != nil {
		log.Fatal(err)
	}
	return cert
}

// Parse NIAS IdP metadata, trusting only the NIAS certificate exchanged
// before integration (requirement N23).
func ExampleParse() {
	data, err := os.ReadFile("testdata/TestParseNIAS/nias-idp.signed.xml")
	if err != nil {
		log.Fatal(err)
	}
	ed, err := metadata.Parse(data, metadata.ParseOptions{
		Verifier: &dsig.Verifier{Certificates: []*x509.Certificate{loadCert("testdata/keys/nias-sign1.crt")}},
		Now:      func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}
	sso, _ := ed.IDP.SSOEndpoint(saml.BindingHTTPRedirect)
	slo, _ := ed.IDP.SLOEndpoint(saml.BindingSOAP)
	fmt.Println(ed.EntityID)
	fmt.Println("SSO:", sso.Location)
	fmt.Println("SOAP SLO:", slo.Location)
	fmt.Println("signing keys:", len(ed.IDP.SigningCertificates()))
	fmt.Println("valid until:", ed.ValidUntil.Format(time.DateOnly))
	// Output:
	// CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR
	// SSO: https://niastst.fina.hr/sso-http
	// SOAP SLO: https://niastst.fina.hr/ssout-soap
	// signing keys: 2
	// valid until: 2036-12-23
}

// Publish signed SP metadata for an e-service, then read it back as the
// broker would.
func ExampleNewSP() {
	cert := loadCert("testdata/keys/nias-sign1.crt")
	key, err := x509.ParsePKCS8PrivateKey(loadPEM("testdata/keys/nias-sign1.key"))
	if err != nil {
		log.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	ed, err := metadata.NewSP(metadata.SPConfig{
		EntityID:               "CN=eusluga_demo, L=ZAGREB, O=Primjer, C=HR",
		ACS:                    []metadata.Endpoint{{Binding: saml.BindingHTTPPOST, Location: "https://eusluga.example.hr/saml/acs"}},
		SLO:                    []metadata.Endpoint{{Binding: saml.BindingSOAP, Location: "https://eusluga.example.hr/saml/slo"}},
		SigningCertificates:    []*x509.Certificate{cert},
		EncryptionCertificates: []*x509.Certificate{cert},
		NameIDFormats:          []string{saml.NameIDFormatPersistent},
		ValidFor:               24 * time.Hour,
		Now:                    now,
	})
	if err != nil {
		log.Fatal(err)
	}
	signed, err := ed.Sign(&dsig.Signer{Key: key.(crypto.Signer), Certificates: []*x509.Certificate{cert}})
	if err != nil {
		log.Fatal(err)
	}

	got, err := metadata.Parse(signed, metadata.ParseOptions{
		Verifier: &dsig.Verifier{Certificates: []*x509.Certificate{cert}},
		Now:      now,
	})
	if err != nil {
		log.Fatal(err)
	}
	acs, _ := got.SP.DefaultACS()
	fmt.Println("AuthnRequestsSigned:", got.SP.AuthnRequestsSigned)
	fmt.Println("ACS:", acs.Location, acs.Index)
	fmt.Println("valid until:", got.ValidUntil)
	fmt.Println("javascript ACS allowed:", got.SP.HasACSLocation("javascript:alert(1)"))
	// Output:
	// AuthnRequestsSigned: true
	// ACS: https://eusluga.example.hr/saml/acs 0
	// valid until: 2026-06-02 00:00:00 +0000 UTC
	// javascript ACS allowed: false
}

// Metadata cached by the caller is checked again before each use.
func ExampleEntityDescriptor_Valid() {
	ed := &metadata.EntityDescriptor{ValidUntil: time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)}
	fmt.Println(ed.Valid(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)))
	fmt.Println(ed.Valid(time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)))
	// Output:
	// <nil>
	// metadata: metadata has expired: EntityDescriptor "" valid until 2026-06-02T00:00:00Z, now 2026-06-03T00:00:00Z
}
