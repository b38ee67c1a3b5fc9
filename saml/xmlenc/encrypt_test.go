package xmlenc

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
)

// weakCert returns a self-signed certificate for a 1024-bit RSA key, which
// samltest deliberately does not offer.
func weakCert(t *testing.T) *x509.Certificate {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "weak"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

// TestEncrypterValidate: every unusable field is reported at once, and
// weak or foreign recipient keys are refused (N23, spec-digest §2.6).
func TestEncrypterValidate(t *testing.T) {
	rsaCert := samltest.NewKeyPair(t, samltest.RSA2048).Certificate
	tests := []struct {
		name string
		enc  Encrypter
		want []error
	}{
		{"eIDAS default", Encrypter{Certificate: rsaCert}, nil},
		{"explicit aes128-gcm mgf1p", Encrypter{Certificate: rsaCert, DataMethod: AES128GCM, KeyTransport: RSAOAEPMGF1P}, nil},
		{"no certificate", Encrypter{}, []error{ErrInvalidConfig}},
		{"EC certificate: ECDH-ES", Encrypter{Certificate: samltest.NewKeyPair(t, samltest.P256).Certificate}, nil},
		{"RSA-1024 recipient", Encrypter{Certificate: weakCert(t)}, []error{ErrWeakKey}},
		{"CBC is never produced", Encrypter{Certificate: rsaCert, DataMethod: AES256CBC}, []error{ErrUnsupportedAlgorithm}},
		{"rsa-1_5 is never produced", Encrypter{Certificate: rsaCert, KeyTransport: RSA15}, []error{ErrUnsupportedAlgorithm}},
		{"every problem at once", Encrypter{DataMethod: "urn:x", KeyTransport: "urn:y"}, []error{ErrInvalidConfig, ErrUnsupportedAlgorithm}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.enc.Validate()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			for _, w := range tc.want {
				require.ErrorIs(t, err, w)
			}
			_, a := response(t, 0)
			_, encErr := tc.enc.EncryptAssertion(a)
			require.Equal(t, err.Error(), encErr.Error(), "Encrypt validates first")
		})
	}
	multi := Encrypter{DataMethod: "urn:x", KeyTransport: "urn:y"}
	require.Len(t, multi.Validate().(interface{ Unwrap() []error }).Unwrap(), 3)
}

// TestEncryptWireFormat checks the layout spec-digest §2.6 prescribes for
// eIDAS: AES-256-GCM data, RSA-OAEP with SHA-256 digest and MGF1-SHA256.
func TestEncryptWireFormat(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	_, a := response(t, 0)
	plain, err := serialize(a)
	require.NoError(t, err)
	ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
	require.NoError(t, err)

	// The result stands alone: it parses without any context.
	b, err := etree.NewDocumentWithRoot(ea).WriteToBytes()
	require.NoError(t, err)
	root := parse(t, string(b)).Root()
	require.Equal(t, saml.NSAssertion+" EncryptedAssertion", root.NamespaceURI()+" "+root.Tag)

	ed := root.ChildElements()[0]
	require.Equal(t, saml.NSXMLEnc+" EncryptedData", ed.NamespaceURI()+" "+ed.Tag)
	require.Equal(t, TypeElement, ed.SelectAttrValue("Type", ""))
	algOf := func(el *etree.Element, ns, local string) string {
		c, err := one(el, ns, local)
		require.NoError(t, err, local)
		return c.SelectAttrValue("Algorithm", "")
	}
	require.Equal(t, AES256GCM, algOf(ed, saml.NSXMLEnc, "EncryptionMethod"))
	ki, err := one(ed, saml.NSDSig, "KeyInfo")
	require.NoError(t, err)
	ek, err := one(ki, saml.NSXMLEnc, "EncryptedKey")
	require.NoError(t, err)
	em, err := one(ek, saml.NSXMLEnc, "EncryptionMethod")
	require.NoError(t, err)
	require.Equal(t, RSAOAEP, em.SelectAttrValue("Algorithm", ""))
	require.Equal(t, DigestSHA256, algOf(em, saml.NSDSig, "DigestMethod"))
	require.Equal(t, MGF1SHA256, algOf(em, NSXMLEnc11, "MGF"))

	wrapped, err := cipherValue(ek, maxWrappedKey)
	require.NoError(t, err)
	require.Len(t, wrapped, 256, "RSA-2048 ciphertext")
	data, err := cipherValue(ed, DefaultMaxCipherBytes)
	require.NoError(t, err)
	require.Len(t, data, gcmIVSize+len(plain)+gcmTagSize, "IV || ciphertext || tag")
}

// TestEncryptFreshRandomness: each encryption draws a fresh GCM nonce, so
// encryptions of one assertion never reuse an IV.
func TestEncryptFreshRandomness(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	_, a := response(t, 0)
	enc := Encrypter{Certificate: kp.Certificate}
	seen := map[string]bool{}
	for range 3 {
		ed, err := enc.Encrypt(a)
		require.NoError(t, err)
		cv, err := cipherValue(ed, DefaultMaxCipherBytes)
		require.NoError(t, err)
		iv := base64.StdEncoding.EncodeToString(cv[:gcmIVSize])
		require.False(t, seen[iv], "IV reused")
		seen[iv] = true
	}
}

// TestEncryptLeavesInputAlone: the assertion and its document are not
// changed by encryption.
func TestEncryptLeavesInputAlone(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	doc, a := response(t, 0)
	before, err := doc.WriteToString()
	require.NoError(t, err)
	_, err = (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
	require.NoError(t, err)
	after, err := doc.WriteToString()
	require.NoError(t, err)
	require.Equal(t, before, after)
}

// TestSerializeSelfContained: the plaintext declares every namespace in
// scope, including xs, used only inside the xsi:type QName value.
func TestSerializeSelfContained(t *testing.T) {
	_, a := response(t, 0)
	b, err := serialize(a)
	require.NoError(t, err)
	root := parse(t, string(b)).Root()
	for _, p := range []string{"saml", "xs", "xsi", "samlp"} {
		require.NotNil(t, root.SelectAttr("xmlns:"+p), p)
	}
}

// TestEncryptPreservesExactValues: characters an XML parser normalises
// (CR in text; tab, CR and LF in attributes) survive, so an enveloped
// signature over the element stays valid after decryption.
func TestEncryptPreservesExactValues(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", saml.NSAssertion)
	a.CreateAttr("ID", "_a")
	a.CreateAttr("Odd", "tab\there\r\nline \"q\" <&>")
	a.CreateElement("saml:Issuer").SetText("line1\r\nline2 & <x> ]]>")
	ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
	require.NoError(t, err)
	got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}).Decrypt(ea)
	require.NoError(t, err)
	require.Equal(t, "tab\there\r\nline \"q\" <&>", got.SelectAttrValue("Odd", ""))
	text, err := saml.Text(got.SelectElement("saml:Issuer"))
	require.NoError(t, err)
	require.Equal(t, "line1\r\nline2 & <x> ]]>", text)
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy exhausted") }

// TestEncryptErrors: bad input and a failing random source give typed
// errors (ErrEncrypt, ErrInvalidConfig), never a panic (N2).
func TestEncryptErrors(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	undeclared := etree.NewElement("foo:Bar")
	undeclaredAttr := etree.NewElement("Bar")
	undeclaredAttr.CreateAttr("foo:x", "1")
	nameID := parse(t, `<saml:NameID xmlns:saml="`+saml.NSAssertion+`">x</saml:NameID>`).Root()
	tests := []struct {
		name string
		enc  Encrypter
		do   func(e *Encrypter) error
	}{
		{"nil element", Encrypter{}, func(e *Encrypter) error { _, err := e.Encrypt(nil); return err }},
		{"undeclared element prefix", Encrypter{}, func(e *Encrypter) error { _, err := e.Encrypt(undeclared); return err }},
		{"undeclared attribute prefix", Encrypter{}, func(e *Encrypter) error { _, err := e.Encrypt(undeclaredAttr); return err }},
		{"EncryptAssertion of a NameID", Encrypter{}, func(e *Encrypter) error { _, err := e.EncryptAssertion(nameID); return err }},
		{"EncryptAssertion of nil", Encrypter{}, func(e *Encrypter) error { _, err := e.EncryptAssertion(nil); return err }},
		{"random source fails", Encrypter{Rand: failingReader{}}, func(e *Encrypter) error { _, err := e.Encrypt(nameID); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.enc.Certificate = kp.Certificate
			require.ErrorIs(t, tc.do(&tc.enc), ErrEncrypt)
		})
	}
}
