package xmlenc

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
)

func ecKey(kp *samltest.KeyPair) *ecdsa.PrivateKey { return kp.Key.(*ecdsa.PrivateKey) }

// TestECDHESRoundTrip: eIDAS key agreement for EC certificates (spec-digest
// §2.6): ECDH-ES with ConcatKDF and kw-aes256, on every NIST curve eIDAS
// allows.
func TestECDHESRoundTrip(t *testing.T) {
	for _, kt := range []samltest.KeyType{samltest.P256, samltest.P384, samltest.P521} {
		kp := samltest.NewKeyPair(t, kt)
		for _, data := range []string{AES128GCM, AES256GCM} {
			t.Run(string(kt)+"/"+data, func(t *testing.T) {
				_, a := response(t, 0)
				ea, err := (&Encrypter{Certificate: kp.Certificate, DataMethod: data}).EncryptAssertion(a)
				require.NoError(t, err)
				got, err := (&Decrypter{ECKeys: []*ecdsa.PrivateKey{ecKey(kp)}}).Decrypt(ea)
				require.NoError(t, err)
				requireSame(t, selfContained(t, a), got)
			})
		}
	}
}

func TestECDHESWireFormat(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.P256)
	_, a := response(t, 0)
	ed, err := (&Encrypter{Certificate: kp.Certificate}).Encrypt(a)
	require.NoError(t, err)
	b, err := etree.NewDocumentWithRoot(ed).WriteToBytes()
	require.NoError(t, err)
	ed = parse(t, string(b)).Root()
	ek := ed.FindElement("KeyInfo/EncryptedKey")
	require.Equal(t, KWAES256, ek.FindElement("EncryptionMethod").SelectAttrValue("Algorithm", ""))
	am := ek.FindElement("KeyInfo/AgreementMethod")
	require.Equal(t, saml.NSXMLEnc, am.NamespaceURI())
	require.Equal(t, ECDHES, am.SelectAttrValue("Algorithm", ""))
	kdm := am.FindElement("KeyDerivationMethod")
	require.Equal(t, NSXMLEnc11, kdm.NamespaceURI())
	require.Equal(t, ConcatKDF, kdm.SelectAttrValue("Algorithm", ""))
	require.Equal(t, DigestSHA256, kdm.FindElement("ConcatKDFParams/DigestMethod").SelectAttrValue("Algorithm", ""))
	eckv := am.FindElement("OriginatorKeyInfo/KeyValue/ECKeyValue")
	require.Equal(t, NSDSig11, eckv.NamespaceURI())
	require.Equal(t, "urn:oid:1.2.840.10045.3.1.7", eckv.FindElement("NamedCurve").SelectAttrValue("URI", ""))
	point, err := base64.StdEncoding.DecodeString(eckv.FindElement("PublicKey").Text())
	require.NoError(t, err)
	require.Len(t, point, 65, "uncompressed P-256 point")
	wrapped, err := cipherValue(ek, maxWrapped)
	require.NoError(t, err)
	require.Len(t, wrapped, 40, "kw-aes of a 256-bit key")
}

func TestECDHESKeySelection(t *testing.T) {
	p256a, p256b := samltest.NewKeyPair(t, samltest.P256), samltest.NewKeyPair(t, samltest.P256)
	p384 := samltest.NewKeyPair(t, samltest.P384)
	rsaKP := samltest.NewKeyPair(t, samltest.RSA2048)
	tests := []struct {
		name string
		dec  Decrypter
		ok   bool
	}{
		{"rollover, right key second", Decrypter{ECKeys: []*ecdsa.PrivateKey{ecKey(p256b), ecKey(p256a)}}, true},
		{"other curve skipped", Decrypter{ECKeys: []*ecdsa.PrivateKey{ecKey(p384), ecKey(p256a)}}, true},
		{"RSA and EC keys together", Decrypter{Keys: []crypto.Decrypter{rsaKP.Decrypter()}, ECKeys: []*ecdsa.PrivateKey{ecKey(p256a)}}, true},
		{"wrong EC key", Decrypter{ECKeys: []*ecdsa.PrivateKey{ecKey(p256b), ecKey(p384)}}, false},
		{"RSA key only", Decrypter{Keys: []crypto.Decrypter{rsaKP.Decrypter()}}, false},
	}
	_, a := response(t, 0)
	ea, err := (&Encrypter{Certificate: p256a.Certificate}).EncryptAssertion(a)
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.dec.Decrypt(ea)
			if !tc.ok {
				require.Equal(t, ErrDecrypt, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "Assertion", got.Tag)
		})
	}
}

func TestECDHESEncrypterConfig(t *testing.T) {
	ecCert := samltest.NewKeyPair(t, samltest.P384).Certificate
	rsaCert := samltest.NewKeyPair(t, samltest.RSA2048).Certificate
	require.NoError(t, (&Encrypter{Certificate: ecCert, KeyTransport: ECDHES}).Validate())
	require.ErrorIs(t, (&Encrypter{Certificate: ecCert, KeyTransport: RSAOAEP}).Validate(), ErrInvalidConfig)
	require.ErrorIs(t, (&Encrypter{Certificate: rsaCert, KeyTransport: ECDHES}).Validate(), ErrInvalidConfig)
	require.ErrorIs(t, (&Decrypter{ECKeys: []*ecdsa.PrivateKey{nil}}).Validate(), ErrInvalidConfig)
}

// TestECDHESRefusedAndBroken: unknown agreement parameters are refused by
// URI; broken ones (a point off the curve, padding bits, a flipped wrapped
// key) are the uniform ErrDecrypt.
func TestECDHESRefusedAndBroken(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.P256)
	setAttr := func(path, key, value string) func(*etree.Element) {
		return func(ea *etree.Element) { ea.FindElement(path).CreateAttr(key, value) }
	}
	const am = "//AgreementMethod"
	tests := []struct {
		name    string
		mutate  func(*etree.Element)
		refused string // URI expected in the AlgorithmError; "" = ErrDecrypt
		reason  string // logged detail for ErrDecrypt
	}{
		{"DH instead of ECDH-ES", setAttr(am, "Algorithm", "http://www.w3.org/2001/04/xmlenc#dh"), "http://www.w3.org/2001/04/xmlenc#dh", ""},
		{"PBKDF2 derivation", setAttr(am+"/KeyDerivationMethod", "Algorithm", "http://www.w3.org/2009/xmlenc11#pbkdf2"), "http://www.w3.org/2009/xmlenc11#pbkdf2", ""},
		{"ConcatKDF with SHA-1", setAttr(am+"/KeyDerivationMethod/ConcatKDFParams/DigestMethod", "Algorithm", DigestSHA1), DigestSHA1, ""},
		{"Brainpool curve", setAttr(am+"//NamedCurve", "URI", "urn:oid:1.3.36.3.3.2.8.1.1.7"), "urn:oid:1.3.36.3.3.2.8.1.1.7", ""},
		{"point not on the curve", func(ea *etree.Element) {
			pk := ea.FindElement(am + "//PublicKey")
			p, _ := base64.StdEncoding.DecodeString(pk.Text())
			p[len(p)-1] ^= 1
			pk.SetText(base64.StdEncoding.EncodeToString(p))
		}, "", "not on curve"},
		{"compressed point", func(ea *etree.Element) {
			pk := ea.FindElement(am + "//PublicKey")
			p, _ := base64.StdEncoding.DecodeString(pk.Text())
			pk.SetText(base64.StdEncoding.EncodeToString(append([]byte{2 + p[64]&1}, p[1:33]...)))
		}, "", "invalid"},
		{"padding bits in PartyUInfo", setAttr(am+"/KeyDerivationMethod/ConcatKDFParams", "PartyUInfo", "01FF"), "", "padding bits"},
		{"odd hex in AlgorithmID", setAttr(am+"/KeyDerivationMethod/ConcatKDFParams", "AlgorithmID", "000"), "", "AlgorithmID"},
		{"OtherInfo changed", setAttr(am+"/KeyDerivationMethod/ConcatKDFParams", "PartyVInfo", "0001"), "", "no key opened"},
		{"no OriginatorKeyInfo", remove(am + "/OriginatorKeyInfo"), "", "no OriginatorKeyInfo"},
		{"wrapped key flipped", mutateCipher(0, flip(3)), "", "no key opened"},
		{"wrapped key truncated", mutateCipher(0, func(b []byte) []byte { return b[:20] }), "", "no key opened"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, a := response(t, 0)
			ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
			require.NoError(t, err)
			tc.mutate(ea)
			var log bytes.Buffer
			dec := Decrypter{ECKeys: []*ecdsa.PrivateKey{ecKey(kp)},
				Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			_, err = dec.Decrypt(ea)
			if tc.refused != "" {
				var ae *AlgorithmError
				require.ErrorAs(t, err, &ae)
				require.Equal(t, tc.refused, ae.Algorithm)
				return
			}
			require.Equal(t, ErrDecrypt, err)
			require.Contains(t, log.String(), tc.reason)
		})
	}
}

func TestConcatKDFParamsOtherInfo(t *testing.T) {
	am := parse(t, `<xenc:AgreementMethod xmlns:xenc="`+saml.NSXMLEnc+`" xmlns:xenc11="`+NSXMLEnc11+`" xmlns:ds="`+saml.NSDSig+`">`+
		`<xenc11:KeyDerivationMethod Algorithm="`+ConcatKDF+`"><xenc11:ConcatKDFParams AlgorithmID="00AB" PartyUInfo="0001" PartyVInfo="" SuppPubInfo="00FFEE" SuppPrivInfo="00">`+
		`<ds:DigestMethod Algorithm="`+DigestSHA384+`"/></xenc11:ConcatKDFParams></xenc11:KeyDerivationMethod></xenc:AgreementMethod>`).Root()
	h, other, err := parseConcatKDF(am)
	require.NoError(t, err)
	require.Equal(t, crypto.SHA384, h)
	require.Equal(t, "ab01ffee", hex.EncodeToString(other))
}

func TestInteropWebCryptoECDHES(t *testing.T) {
	node, script := nodeScript(t)
	dir := t.TempDir()
	for _, kt := range []samltest.KeyType{samltest.P256, samltest.P384, samltest.P521} {
		kp := samltest.NewKeyPair(t, kt)
		t.Run(string(kt)+"/webcrypto decrypts ours", func(t *testing.T) {
			_, a := response(t, 2000)
			ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
			require.NoError(t, err)
			out := run(t, node, script, "decrypt-ec", writeFile(t, dir, "key.pem", kp.KeyPEM()),
				writeDoc(t, dir, "enc.xml", etree.NewDocumentWithRoot(ea)))
			doc, err := saml.ParseXML(out, saml.Limits{})
			require.NoError(t, err, "%s", out)
			requireSame(t, a, doc.Root())
		})
		t.Run(string(kt)+"/we decrypt webcrypto's", func(t *testing.T) {
			_, a := response(t, 2000)
			ptFile := writeDoc(t, dir, "pt.xml", etree.NewDocumentWithRoot(selfContained(t, a)))
			for _, bits := range []string{"128", "256"} {
				out := run(t, node, script, "encrypt-ec", writeFile(t, dir, "cert.pem", kp.CertPEM()), ptFile, bits)
				got, err := (&Decrypter{ECKeys: []*ecdsa.PrivateKey{ecKey(kp)}}).Decrypt(parse(t, string(out)).Root())
				require.NoError(t, err, "%s", out)
				requireSame(t, a, got)
			}
		})
	}
}
