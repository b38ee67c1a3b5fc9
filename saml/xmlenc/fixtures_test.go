package xmlenc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
)

// fixtureKey reads a TEST-ONLY recipient key of testdata/gen.sh.
func fixtureKey(t testing.TB, name string) crypto.PrivateKey {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "keys", name))
	require.NoError(t, err)
	block, _ := pem.Decode(b)
	require.NotNil(t, block)
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	return key
}

// fixtureDecrypter holds both fixture keys.
func fixtureDecrypter(t testing.TB) Decrypter {
	return Decrypter{
		Keys:   []crypto.Decrypter{fixtureKey(t, "sp-enc.key").(crypto.Decrypter)},
		ECKeys: []*ecdsa.PrivateKey{fixtureKey(t, "sp-enc-ec.key").(*ecdsa.PrivateKey)},
	}
}

// TestDecryptFixtures decrypts encryptions made by xmlsec1 and Node's
// WebCrypto (testdata/gen.sh), so interoperability is checked even where
// those tools are not installed.
func TestDecryptFixtures(t *testing.T) {
	tests := []struct {
		file     string
		allowCBC bool
		wantErr  error
	}{
		{"xmlsec1-aes256gcm-mgf1p.xml", false, nil},
		{"xmlsec1-aes128gcm-mgf1p.xml", false, nil},
		{"xmlsec1-aes256cbc-mgf1p.xml", true, nil},
		{"xmlsec1-aes256cbc-mgf1p.xml", false, ErrUnsupportedAlgorithm},
		{"xmlsec1-rsa15.xml", false, ErrUnsupportedAlgorithm},
		{"webcrypto-aes256gcm-inline.xml", false, nil},
		{"webcrypto-aes128gcm-peer.xml", false, nil},
		{"webcrypto-ancestor-prefixes.xml", false, nil},
		{"webcrypto-ecdh-es-p256.xml", false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "TestDecryptFixtures", tc.file))
			require.NoError(t, err)
			doc, err := saml.ParseXML(b, saml.Limits{})
			require.NoError(t, err)
			enc := doc.FindElement("//EncryptedAssertion")
			if enc == nil {
				enc = doc.FindElement("//EncryptedData")
			}
			dec := fixtureDecrypter(t)
			dec.AllowCBC = tc.allowCBC
			got, err := dec.Decrypt(enc)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, saml.NSAssertion+" Assertion", got.NamespaceURI()+" "+got.Tag)
			nameID, err := saml.Text(got.FindElement("Subject/NameID"))
			require.NoError(t, err)
			require.Equal(t, "HR/HR/12345678903", nameID)
			require.Equal(t, "http://www.w3.org/2001/XMLSchema", got.SelectAttrValue("xmlns:xs", ""), "QName prefix of xsi:type kept")
			require.NoError(t, checkPrefixes(got, map[string]bool{}))
		})
	}
}
