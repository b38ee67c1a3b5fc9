package dsig

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/eidkit/eidkit/saml"
	"github.com/stretchr/testify/require"
)

func fixtureCert(t *testing.T, name string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "TestVerifyFixtures", name))
	require.NoError(t, err)
	block, _ := pem.Decode(data)
	require.NotNil(t, block)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return cert
}

// TestVerifyFixtures verifies checked-in signatures made by independent
// implementations (testdata/TestVerifyFixtures/gen.sh: xmlsec1 for
// PKCS#1 v1.5 and ECDSA, xmldsigjs for RSA-PSS), so interoperability is
// checked even where those tools are not installed (N23, eIDAS profile).
func TestVerifyFixtures(t *testing.T) {
	rsa2048 := fixtureCert(t, "rsa2048.crt")
	rsa3072 := fixtureCert(t, "rsa3072.crt")
	p256 := fixtureCert(t, "p256.crt")
	tests := []struct {
		file   string
		certs  []*x509.Certificate
		policy Policy
		want   error
	}{
		{"xmlsec1-rsa-sha256.xml", []*x509.Certificate{rsa2048}, Policy{}, nil},
		{"xmlsec1-ecdsa-sha256.xml", []*x509.Certificate{p256}, EIDASPolicy(), nil},
		{"xmldsigjs-pss-sha256.xml", []*x509.Certificate{rsa3072}, EIDASPolicy(), nil},
		{"xmldsigjs-pss-sha256.xml", []*x509.Certificate{p256, rsa2048, rsa3072}, Policy{}, nil},
		{"xmlsec1-rsa-sha256.xml", []*x509.Certificate{rsa2048}, EIDASPolicy(), ErrWeakKey},
		{"xmlsec1-rsa-sha256.xml", []*x509.Certificate{rsa3072}, Policy{}, ErrUntrustedKey},
		{"xmldsigjs-pss-sha256.xml", []*x509.Certificate{rsa2048}, Policy{}, ErrUntrustedKey},
		{"tampered-rsa-sha256.xml", []*x509.Certificate{rsa2048}, Policy{}, ErrBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "TestVerifyFixtures", tc.file))
			require.NoError(t, err)
			doc, err := saml.ParseXML(data, saml.Limits{})
			require.NoError(t, err)
			cert, err := (&Verifier{Certificates: tc.certs, Policy: tc.policy}).Verify(doc.Root())
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			require.Contains(t, tc.certs, cert)
			nameID, err := saml.Text(doc.Root().FindElement("./Subject/NameID"))
			require.NoError(t, err)
			require.Equal(t, "12345678903", nameID)
		})
	}
}
