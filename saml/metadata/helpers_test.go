package metadata_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// fixedNow is the test clock: every fixture is valid at this instant.
var fixedNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

func readCert(t testing.TB, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", path))
	require.NoError(t, err)
	block, _ := pem.Decode(data)
	require.NotNil(t, block, path)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return cert
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", path))
	require.NoError(t, err)
	return data
}

func verifier(certs ...*x509.Certificate) *dsig.Verifier {
	return &dsig.Verifier{Certificates: certs}
}

func trusting(certs ...*x509.Certificate) metadata.ParseOptions {
	return metadata.ParseOptions{Verifier: verifier(certs...), Now: clock}
}

func unsignedOK() metadata.ParseOptions {
	return metadata.ParseOptions{AllowUnsigned: true, Now: clock}
}

// spConfig is a typical SP: two ACS, SLO on two bindings, rollover keys.
func spConfig(sign []*x509.Certificate, enc ...*x509.Certificate) metadata.SPConfig {
	return metadata.SPConfig{
		EntityID: "https://eusluga.example.hr/saml/metadata",
		ACS: []metadata.Endpoint{
			{Binding: saml.BindingHTTPPOST, Location: "https://eusluga.example.hr/saml/acs"},
			{Binding: saml.BindingHTTPRedirect, Location: "https://eusluga.example.hr/saml/acs-redirect"},
		},
		SLO: []metadata.Endpoint{
			{Binding: saml.BindingHTTPPOST, Location: "https://eusluga.example.hr/saml/slo"},
			{Binding: saml.BindingSOAP, Location: "https://eusluga.example.hr/saml/slo-soap"},
		},
		SigningCertificates:    sign,
		EncryptionCertificates: enc,
		EncryptionMethods:      []string{"http://www.w3.org/2009/xmlenc11#aes256-gcm"},
		NameIDFormats:          []string{saml.NameIDFormatPersistent, saml.NameIDFormatTransient},
		AttributeConsumingServices: []metadata.AttributeConsumingService{{
			Index:        0,
			IsDefault:    metadata.True,
			ServiceNames: []metadata.Localized{{Lang: "hr", Value: "e-Usluga"}},
			RequestedAttributes: []metadata.RequestedAttribute{
				{Attribute: metadata.Attribute{Name: "oib", NameFormat: saml.AttrNameFormatBasic}, IsRequired: true},
				{Attribute: metadata.Attribute{Name: "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier",
					NameFormat: saml.AttrNameFormatURI, FriendlyName: "PersonIdentifier"}, IsRequired: true},
			},
		}},
		Extensions:     metadata.Extensions{SPType: "public"},
		Organization:   &metadata.Organization{Names: []metadata.Localized{{Lang: "hr", Value: "Primjer"}}},
		ContactPersons: []metadata.ContactPerson{{Type: "technical", EmailAddresses: []string{"mailto:it@example.hr"}}},
		CacheDuration:  6 * time.Hour,
		Now:            clock,
	}
}

func idpConfig(sign []*x509.Certificate, enc ...*x509.Certificate) metadata.IDPConfig {
	return metadata.IDPConfig{
		EntityID: "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR",
		SSO: []metadata.Endpoint{
			{Binding: saml.BindingHTTPPOST, Location: "https://niastst.fina.hr/sso-http"},
			{Binding: saml.BindingHTTPRedirect, Location: "https://niastst.fina.hr/sso-http"},
		},
		SLO: []metadata.Endpoint{
			{Binding: saml.BindingHTTPPOST, Location: "https://niastst.fina.hr/ssout-http"},
			{Binding: saml.BindingHTTPRedirect, Location: "https://niastst.fina.hr/ssout-http"},
			{Binding: saml.BindingSOAP, Location: "https://niastst.fina.hr/ssout-soap"},
		},
		SigningCertificates:    sign,
		EncryptionCertificates: enc,
		NameIDFormats:          []string{saml.NameIDFormatEntity, saml.NameIDFormatPersistent},
		Attributes: []metadata.Attribute{
			{Name: "oib", NameFormat: saml.AttrNameFormatBasic},
			{Name: "ime", NameFormat: saml.AttrNameFormatBasic},
		},
		Extensions: metadata.Extensions{
			NodeCountry:      "HR",
			EntityAttributes: map[string][]string{metadata.EntityAttrProtocolVersion: {"1.2", "1.1"}},
			SigningMethods:   []metadata.SigningMethod{{Algorithm: dsig.RSAPSSSHA256, MinKeySize: 3072}},
			DigestMethods:    []string{dsig.DigestSHA256},
		},
		Now: clock,
	}
}

func keyPairs(t testing.TB, kt samltest.KeyType, n int) ([]*samltest.KeyPair, []*x509.Certificate) {
	t.Helper()
	var kps []*samltest.KeyPair
	var certs []*x509.Certificate
	for range n {
		kp := samltest.NewKeyPair(t, kt)
		kps = append(kps, kp)
		certs = append(certs, kp.Certificate)
	}
	return kps, certs
}

// normalize drops the fields Parse sets but Element ignores.
func normalize(ed *metadata.EntityDescriptor) *metadata.EntityDescriptor {
	cp := *ed
	cp.SignedBy, cp.Raw = nil, nil
	return &cp
}

func dsigSigner(kp *samltest.KeyPair) *dsig.Signer {
	return &dsig.Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}
}

func certsOf(kps ...*samltest.KeyPair) []*x509.Certificate {
	var out []*x509.Certificate
	for _, kp := range kps {
		out = append(out, kp.Certificate)
	}
	return out
}
