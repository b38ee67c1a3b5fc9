package xmlenc

import (
	"crypto"
	"crypto/rsa"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
)

const nsDecls = `xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
	`xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`

// TestDecryptPlaintext covers what other producers put in the plaintext and
// what the decrypter must refuse in it.
func TestDecryptPlaintext(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	pub := kp.Certificate.PublicKey.(*rsa.PublicKey)
	const assertion = `<saml:Assertion ` + nsDecls + ` ID="_p"><saml:Issuer>i</saml:Issuer></saml:Assertion>`
	// Prefixes declared only on ancestors of the EncryptedData, as libxml2
	// based producers (xmlsec1, Shibboleth) write them.
	const bareAssertion = `<saml:Assertion ID="_p"><saml:Issuer>i</saml:Issuer><saml:AttributeStatement>` +
		`<saml:Attribute Name="oib"><saml:AttributeValue xsi:type="xs:string">1</saml:AttributeValue></saml:Attribute>` +
		`</saml:AttributeStatement></saml:Assertion>`
	tests := []struct {
		name      string
		plaintext string
		container string
		ancestors bool // embed in a Response declaring saml, xs, xsi
		limits    saml.Limits
		want      string // local name of the result; "" = ErrDecrypt
	}{
		{"self-contained assertion", assertion, "", false, saml.Limits{}, "Assertion"},
		{"XML declaration", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + assertion, "", false, saml.Limits{}, "Assertion"},
		{"BOM and XML declaration", "\xef\xbb\xbf<?xml version=\"1.0\"?>" + assertion, "", false, saml.Limits{}, "Assertion"},
		{"surrounding whitespace and comments", "\n <!-- c -->" + assertion + "<!-- d -->\n", "", false, saml.Limits{}, "Assertion"},
		{"prefixes from ancestors", bareAssertion, "", true, saml.Limits{}, "Assertion"},
		{"prefixes from ancestors missing", bareAssertion, "", false, saml.Limits{}, ""},
		{"NameID in EncryptedID", `<saml:NameID ` + nsDecls + `>x</saml:NameID>`, "EncryptedID", false, saml.Limits{}, "NameID"},
		{"BaseID in EncryptedID", `<saml:BaseID ` + nsDecls + `/>`, "EncryptedID", false, saml.Limits{}, "BaseID"},
		{"Attribute in EncryptedAttribute", `<saml:Attribute ` + nsDecls + ` Name="oib"/>`, "EncryptedAttribute", false, saml.Limits{}, "Attribute"},
		{"anything in bare EncryptedData", `<x:Anything xmlns:x="urn:x"/>`, "-", false, saml.Limits{}, "Anything"},
		{"Assertion smuggled in EncryptedID", assertion, "EncryptedID", false, saml.Limits{}, ""},
		{"Attribute in EncryptedAssertion", `<saml:Attribute ` + nsDecls + ` Name="oib"/>`, "", false, saml.Limits{}, ""},
		{"Assertion of a foreign namespace", `<saml:Assertion xmlns:saml="urn:evil"/>`, "", false, saml.Limits{}, ""},
		{"DOCTYPE", `<!DOCTYPE x [<!ENTITY e "boom">]>` + assertion, "", false, saml.Limits{}, ""},
		{"processing instruction", `<?evil x?>` + assertion, "", false, saml.Limits{}, ""},
		{"two elements", assertion + assertion, "", false, saml.Limits{}, ""},
		{"text only", `hello`, "", false, saml.Limits{}, ""},
		{"empty", ``, "", false, saml.Limits{}, ""},
		{"text after element", assertion + `tail`, "", false, saml.Limits{}, ""},
		{"escape from the context element", assertion + `</` + wrapperTag + `><` + wrapperTag + `>`, "", false, saml.Limits{}, ""},
		{"not well-formed", `<saml:Assertion ` + nsDecls + `>`, "", false, saml.Limits{}, ""},
		{"over MaxBytes", assertion, "", false, saml.Limits{MaxBytes: 100}, ""},
		{"over MaxDepth", assertion, "", false, saml.Limits{MaxDepth: 2}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := rawEncrypted(t, pub, rawSpec{plaintext: tc.plaintext, container: tc.container,
				digest: DigestSHA256, mgf: MGF1SHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA256}})
			root := parse(t, s).Root()
			enc := root
			if tc.ancestors {
				enc = parse(t, `<samlp:Response xmlns:samlp="`+saml.NSProtocol+`" `+nsDecls+`>`+s+`</samlp:Response>`).Root().ChildElements()[0]
			}
			got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}, Limits: tc.limits}).Decrypt(enc)
			if tc.want == "" {
				require.Equal(t, ErrDecrypt, err)
				require.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got.Tag)
			require.Nil(t, got.Parent())
			// The result stands alone with every prefix it uses declared.
			require.NoError(t, checkPrefixes(got, map[string]bool{}))
			if tc.ancestors {
				require.Equal(t, "http://www.w3.org/2001/XMLSchema", got.SelectAttrValue("xmlns:xs", ""), "QName prefix kept")
			}
		})
	}
}

// TestDecryptEncryptedIDRoundTrip: an EncryptedID, as in a LogoutRequest
// for single sign-out (N14), decrypts to its NameID.
func TestDecryptEncryptedIDRoundTrip(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	req := parse(t, `<samlp:LogoutRequest xmlns:samlp="`+saml.NSProtocol+`" xmlns:saml="`+saml.NSAssertion+
		`" ID="_l" Version="2.0"><saml:NameID>tid-123</saml:NameID></samlp:LogoutRequest>`)
	nameID := req.Root().SelectElement("saml:NameID")
	ed, err := (&Encrypter{Certificate: kp.Certificate}).Encrypt(nameID)
	require.NoError(t, err)
	eid := req.Root().CreateElement("saml:EncryptedID")
	eid.AddChild(ed)
	req.Root().RemoveChild(nameID)
	got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}).Decrypt(eid)
	require.NoError(t, err)
	require.Equal(t, "NameID", got.Tag)
	require.Equal(t, saml.NSAssertion, got.NamespaceURI())
	text, err := saml.Text(got)
	require.NoError(t, err)
	require.Equal(t, "tid-123", text)
}

// TestDecryptKeyPlacement: EncryptedKey inline, beside the EncryptedData
// with a RetrievalMethod (OpenSAML "peer"), or beside it without one.
func TestDecryptKeyPlacement(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	pub := kp.Certificate.PublicKey.(*rsa.PublicKey)
	const pt = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_k"/>`
	spec := rawSpec{plaintext: pt, digest: DigestSHA256, mgf: MGF1SHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA256}}
	peer := spec
	peer.layout = "peer"
	tests := []struct {
		name string
		xml  string
	}{
		{"inline", rawEncrypted(t, pub, spec)},
		{"peer with RetrievalMethod", rawEncrypted(t, pub, peer)},
		{"peer without RetrievalMethod", strings.Replace(rawEncrypted(t, pub, peer),
			`<ds:RetrievalMethod Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey" URI="#_ek1"/>`, ``, 1)},
		{"peer with dangling RetrievalMethod", strings.Replace(rawEncrypted(t, pub, peer), `URI="#_ek1"`, `URI="#_nowhere"`, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}).Decrypt(parse(t, tc.xml).Root())
			require.NoError(t, err)
			require.Equal(t, "_k", got.SelectAttrValue("ID", ""))
		})
	}
}
